//! Test support: every string over a small alphabet, for tests that check
//! a function exhaustively at small lengths against a reference.

/// Every concatenation of 0 to `longest` of `symbols` (repetition allowed),
/// shortest first: 1 + s + s² + … + s^longest strings for s symbols.
pub(crate) fn strings(symbols: &'static [&'static str], longest: usize) -> impl Iterator<Item = String> {
    (0..=longest).flat_map(move |len| {
        let count = (0..len).fold(1usize, |c, _| c * symbols.len());
        (0..count).map(move |mut n| {
            let mut s = String::new();
            for _ in 0..len {
                s.push_str(symbols.get(n % symbols.len()).copied().unwrap_or_default());
                n /= symbols.len();
            }
            s
        })
    })
}

#[test]
fn counts_and_order() {
    let all: Vec<String> = strings(&["a", "é"], 2).collect();
    assert_eq!(all, ["", "a", "é", "aa", "éa", "aé", "éé"]);
}
