//! Numbers with their nouns, so the page never says "1 sequences".

/// `count(1, "sequence")` = "1 sequence", `count(64, "sequence")` = "64 sequences".
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {}", noun_for(n, noun))
}

/// The noun alone, singular for 1: `noun_for(2, "batch")` = "batches".
pub fn noun_for(n: usize, noun: &str) -> String {
    if n == 1 {
        noun.to_string()
    } else if noun.ends_with("ch") || noun.ends_with('s') || noun.ends_with('x') {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_everything_else_plural() {
        assert_eq!(count(1, "sequence"), "1 sequence");
        assert_eq!(count(0, "token"), "0 tokens");
        assert_eq!(count(3, "batch"), "3 batches");
        assert_eq!(noun_for(1, "document"), "document");
    }
}
