//! Each library's own loader call with the page's settings, and one line on
//! where the page differs from it.

use crate::data::batcher::Scheme;
use crate::page::settings::Settings;

/// What the page does differently from every library: its tokenizer.
fn differences(s: &Settings) -> String {
    format!(
        "# Where this page differs: it tokenises by {} with no special tokens but one separator\n\
         # between documents; the libraries bring their own tokenizers (spaCy + xxbos/xxmaj in fastai,\n\
         # BPE in Hugging Face), so their token counts, rows and batches per epoch differ from the page's.\n",
        match s.tokens {
            crate::data::corpus::TokenLevel::Char => "character",
            crate::data::corpus::TokenLevel::Word => "word",
        }
    )
}

/// The library loader that batches like the page's scheme.
pub fn library_loader(s: &Settings) -> String {
    let (bs, bptt, lr) = (s.bs, s.bptt, s.lr);
    let call = match s.scheme {
        Scheme::Pytorch => format!(
            r#"# PyTorch examples, word_language_model/main.py: the batching is the program itself
train_data = batchify(corpus.train, {bs})          # [rows, {bs}]
for batch, i in enumerate(range(0, train_data.size(0) - 1, {bptt})):
    data, targets = get_batch(train_data, i)      # seq_len = min({bptt}, rows - 1 - i)
"#
        ),
        Scheme::FastaiV07 => format!(
            r#"# fastai 0.7 (fastai/nlp.py): variable seq_len around bptt
from fastai.nlp import *
md = LanguageModelData.from_text_files(PATH, TEXT, train="train", validation="valid",
                                       test="valid", bs={bs}, bptt={bptt}, min_freq=1)
# md.trn_dl is a LanguageModelLoader: {bs} columns, windows of ~{bptt} rows
"#
        ),
        Scheme::FastaiV1 => format!(
            r#"# fastai 1 (fastai/text/data.py): LanguageModelPreLoader, streams from int(j*T/bs), wrapping round
from fastai.text import *
data = TextLMDataBunch.from_folder(path, bs={bs}, bptt={bptt})
learn = language_model_learner(data, AWD_LSTM, pretrained=False)
learn.fit_one_cycle(1, {lr})
"#
        ),
        Scheme::FastaiV2 => format!(
            r#"# fastai 2 (fastai/text/data.py): LMDataLoader, documents shuffled each epoch,
# bs={bs} streams of bl = (T - 1) // bs rows, windows of seq_len={bptt}
from fastai.text.all import *
dls = TextDataLoaders.from_folder(path, is_lm=True, bs={bs}, seq_len={bptt})
learn = language_model_learner(dls, AWD_LSTM, pretrained=False)
learn.fit_one_cycle(1, {lr})
"#
        ),
        Scheme::HfBlocks => format!(
            r#"# Hugging Face (transformers, examples/pytorch/language-modeling/run_clm.py)
from itertools import chain
from datasets import load_dataset
from transformers import AutoTokenizer, AutoModelForCausalLM, Trainer, TrainingArguments, default_data_collator
block_size = {bptt}
tokenizer = AutoTokenizer.from_pretrained("gpt2")
raw = load_dataset("text", data_files={{"train": "corpus.txt"}}, sample_by="document")
tokenized = raw.map(lambda e: tokenizer(e["text"]), batched=True, remove_columns=["text"])
def group_texts(examples):
    concatenated = {{k: list(chain(*examples[k])) for k in examples.keys()}}
    total_length = len(concatenated[list(examples.keys())[0]]) // block_size * block_size
    result = {{k: [t[i:i + block_size] for i in range(0, total_length, block_size)]
              for k, t in concatenated.items()}}
    result["labels"] = result["input_ids"].copy()
    return result
lm_datasets = tokenized.map(group_texts, batched=True)   # 1,000 documents per call
args = TrainingArguments("out", per_device_train_batch_size={bs}, learning_rate={lr}, num_train_epochs=1)
Trainer(model=AutoModelForCausalLM.from_pretrained("gpt2"), args=args,
        train_dataset=lm_datasets["train"], data_collator=default_data_collator).train()
"#
        ),
    };
    format!("{call}{}", differences(s))
}
