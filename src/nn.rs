//! The network: an LSTM language model whose numbers equal PyTorch's `nn.LSTM`,
//! with its forward/backward pairs, optimizers and state dict.

pub mod cell;
pub mod float;
pub mod lstm;
pub mod matmul;
pub mod model;
pub mod optimizer;
pub mod rng;
pub mod sample;
pub mod softmax;
pub mod state_dict;
pub mod work_buffer;
