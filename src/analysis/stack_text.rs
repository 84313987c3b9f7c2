//! A short ASCII text written byte by byte on the stack, then stored as a `ShortText`.
//!
//! Dates and addresses are written for every hop; through `format!` and the `Display` machinery
//! they were a noticeable share of the analysis, and a `ShortText` grown one `push` at a time
//! re-checks its layout on every byte.

use super::model::ShortText;

/// Room for the longest text written here (an IPv6 address of eight full groups, 39 bytes; an
/// RFC 3339 date from mail-parser's fields, at most 33). A write past the end is dropped rather
/// than panicking.
pub struct StackText {
    buf: [u8; 48],
    len: usize,
}

impl Default for StackText {
    fn default() -> Self {
        Self {
            buf: [0; 48],
            len: 0,
        }
    }
}

impl StackText {
    pub fn push(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    pub fn text(&mut self, s: &[u8]) {
        for &b in s {
            self.push(b);
        }
    }

    /// `n` in decimal, zero-padded to at least `width` digits (like `{:0width$}`).
    pub fn padded(&mut self, n: u64, width: usize) {
        let mut digits = [0u8; 20];
        let mut len = 0;
        let mut rest = n;
        loop {
            digits[len] = b'0' + (rest % 10) as u8;
            len += 1;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        for _ in len..width {
            self.push(b'0');
        }
        for &d in digits[..len].iter().rev() {
            self.push(d);
        }
    }

    /// The text written. Callers write ASCII only; anything else would come out empty.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }

    /// The text written, as a hop's text.
    pub fn finish(&self) -> ShortText {
        ShortText::from(self.as_str())
    }
}

/// Calls `f` with an ASCII-lower-cased copy of `text`, made on the stack when it is short (Received
/// lines and TLS version words nearly always are) and on the heap otherwise.
pub fn with_ascii_lowercase<R>(text: &[u8], f: impl FnOnce(&[u8]) -> R) -> R {
    with_ascii_lowercase_in::<512, R>(text, f)
}

/// `with_ascii_lowercase` with a stack buffer of `N` bytes, for callers whose texts are short
/// words: zeroing a 512-byte buffer costs more than lower-casing a TLS version.
pub fn with_ascii_lowercase_in<const N: usize, R>(text: &[u8], f: impl FnOnce(&[u8]) -> R) -> R {
    let mut stack = [0u8; N];
    match stack.get_mut(..text.len()) {
        Some(buf) => {
            buf.copy_from_slice(text);
            buf.make_ascii_lowercase();
            f(buf)
        }
        None => f(&text.to_ascii_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_cases_short_and_long_text_alike() {
        for text in ["Mixed CASE Grüße", &"AbC".repeat(400)] {
            let lower = with_ascii_lowercase(text.as_bytes(), <[u8]>::to_vec);
            assert_eq!(lower, text.to_ascii_lowercase().into_bytes());
            let lower = with_ascii_lowercase_in::<8, _>(text.as_bytes(), <[u8]>::to_vec);
            assert_eq!(lower, text.to_ascii_lowercase().into_bytes());
        }
    }

    #[test]
    fn writes_padded_numbers_and_drops_what_does_not_fit() {
        let mut t = StackText::default();
        t.padded(7, 2);
        t.push(b':');
        t.padded(12345, 2);
        assert_eq!(t.finish(), "07:12345");
        let mut long = StackText::default();
        long.text(&[b'x'; 60]);
        assert_eq!(long.finish().len(), 48);
    }
}
