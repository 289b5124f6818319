//! The fields of the page's URL hash (`#bs=8&bptt=70&tour=q3`), as the
//! settings, the race link and the tour read them. Browsers percent-encode
//! what a learner types into the address bar (a space becomes `%20`, `６４`
//! becomes `%EF%BC%96%EF%BC%94`), so a field is decoded before it is
//! matched or quoted back in a notice.

/// Every `key=value` field of `hash` (with or without `#`), in order, both
/// sides percent-decoded and the value trimmed; a field without `=` has an
/// empty value, empty fields are skipped.
pub fn hash_fields(hash: &str) -> Vec<(String, String)> {
    hash.trim_start_matches('#')
        .split('&')
        .filter(|field| !field.is_empty())
        .map(|field| {
            let (key, value) = field.split_once('=').unwrap_or((field, ""));
            (
                percent_decode(key),
                percent_decode(value).trim().to_string(),
            )
        })
        .collect()
}

/// `%XX` escapes turned back into their bytes, read as UTF-8 (a byte
/// sequence that is not UTF-8 shows as `�`); a `%` not followed by two hex
/// digits stays as it is.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests;
