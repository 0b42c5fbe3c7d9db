//! A small seeded pseudo-random generator (SplitMix64).
//!
//! The corpora must be byte-identical on every machine and with every version of the
//! dependencies, so the generator lives here rather than in a crate whose output may change.
//! Each generated item gets its own stream ([`Rng::for_item`]), so contract `i` is the same
//! whatever the corpus size: the 1,000-contract corpus is a prefix of the 10,000 one.

/// SplitMix64: fast, tiny, and good enough to vary test data.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    /// The stream of item `index` in the corpus generated from `seed`.
    pub(crate) fn for_item(seed: u64, index: u64) -> Self {
        let mut mixer = Self {
            state: seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F),
        };
        Self {
            state: mixer.next_u64(),
        }
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0), without modulo bias worth mentioning.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        let wide = u128::from(self.next_u64()) * (n as u128);
        usize::try_from(wide >> 64).unwrap_or(0)
    }

    /// A number in `low..=high`.
    pub(crate) fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high.saturating_sub(low) + 1)
    }

    /// True `percent` times out of 100.
    pub(crate) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items` (the empty string when there are none).
    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items
            .get(self.below(items.len()))
            .copied()
            .unwrap_or_default()
    }

    /// `count` distinct items of `items`, in a random order (all of them when `count` is larger).
    pub(crate) fn sample<'a>(&mut self, items: &[&'a str], count: usize) -> Vec<&'a str> {
        let mut pool = items.to_vec();
        let count = count.min(pool.len());
        for i in 0..count {
            let j = i + self.below(pool.len() - i);
            pool.swap(i, j);
        }
        pool.truncate(count);
        pool
    }

    /// `len` lowercase hexadecimal digits (for ids).
    pub(crate) fn hex(&mut self, len: usize) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        (0..len)
            .map(|_| char::from(DIGITS.get(self.below(16)).copied().unwrap_or(b'0')))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| Rng::for_item(7, 3).next_u64()).collect();
        assert!(a.iter().all(|&x| x == a[0]));
        assert_ne!(
            Rng::for_item(7, 3).next_u64(),
            Rng::for_item(7, 4).next_u64()
        );
    }

    #[test]
    fn between_stays_in_bounds() {
        let mut rng = Rng::for_item(1, 1);
        for _ in 0..1000 {
            let x = rng.between(8, 40);
            assert!((8..=40).contains(&x));
        }
    }
}
