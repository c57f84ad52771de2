//! Arithmetic modulo an RSA modulus: Montgomery multiplication on
//! fixed-size limb arrays, prepared once per key, no allocation.
//!
//! Variable time on purpose: RSA verification only ever handles public
//! values (the modulus, the exponent, the signature and the padding it
//! should decode to), so there is no secret for timing to leak. This code
//! must never be used with a private exponent.

/// One machine word of a number: 64 bits where the target multiplies
/// 64×64→128 cheaply, 32 bits elsewhere (wasm32, thumbv7em).
#[cfg(target_pointer_width = "64")]
pub(super) type Limb = u64;
#[cfg(target_pointer_width = "64")]
type Wide = u128;
#[cfg(not(target_pointer_width = "64"))]
pub(super) type Limb = u32;
#[cfg(not(target_pointer_width = "64"))]
type Wide = u64;

const LIMB_BITS: u32 = Limb::BITS;
const LIMB_BYTES: usize = (Limb::BITS / 8) as usize;

/// The largest modulus, in bytes (RSA-4096).
pub(super) const MAX_BYTES: usize = 512;
/// The largest modulus, in limbs.
pub(super) const MAX_LIMBS: usize = MAX_BYTES / LIMB_BYTES;

/// A number below the modulus, little-endian limbs (only the first
/// `Modulus::limbs` are used).
pub(super) type Num = [Limb; MAX_LIMBS];

/// The low word of a double word: the truncation is the point.
#[allow(clippy::cast_possible_truncation)]
const fn lo(x: Wide) -> Limb {
    x as Limb
}

const fn hi(x: Wide) -> Wide {
    x >> LIMB_BITS
}

/// An odd modulus with its Montgomery constants (R = 2^(limb bits × limbs)).
#[derive(Clone)]
pub(super) struct Modulus {
    n: Num,
    /// R² mod n: multiplying by it in Montgomery form enters the domain.
    rr: Num,
    /// −n⁻¹ mod 2^limb bits.
    n0: Limb,
    limbs: usize,
}

impl Modulus {
    /// The modulus from big-endian bytes (no leading zero byte, odd, at
    /// most `MAX_BYTES`), or `None`.
    pub(super) fn new(be: &[u8]) -> Option<Modulus> {
        if be.is_empty() || be.len() > MAX_BYTES || be.first() == Some(&0) || be.last().is_none_or(|b| b & 1 == 0) {
            return None;
        }
        let limbs = be.len().div_ceil(LIMB_BYTES);
        let mut n = [0; MAX_LIMBS];
        from_be(be, &mut n);
        let n_low = n[0];
        // Newton's iteration for the inverse modulo 2^k doubles the correct
        // bits each step; an odd x is its own inverse modulo 8 (3 bits).
        let mut inv = n_low;
        for _ in 0..5 {
            inv = inv.wrapping_mul((2 as Limb).wrapping_sub(n_low.wrapping_mul(inv)));
        }
        let mut m = Modulus { n, rr: [0; MAX_LIMBS], n0: inv.wrapping_neg(), limbs };
        // R² mod n, the Montgomery form of R = 2^w (w = limbs × limb bits):
        // 2^(bits−1) < n, doubled up to 2^(w+1) mod n (at most one limb's
        // worth of doublings) is the Montgomery form of 2; raised to w by
        // Montgomery squarings, it is the Montgomery form of 2^w.
        let bits = be.len() * 8 - be.first().map_or(0, |b| b.leading_zeros() as usize);
        let w = limbs * LIMB_BITS as usize;
        let mut two = [0; MAX_LIMBS];
        if let Some(limb) = two.get_mut((bits - 1) / LIMB_BITS as usize) {
            *limb = 1 << ((bits - 1) % LIMB_BITS as usize);
        }
        for _ in bits - 1..=w {
            m.double(&mut two);
        }
        let mut acc = two;
        let top = usize::BITS - 1 - w.leading_zeros();
        for i in (0..top).rev() {
            acc = m.mul(&acc, &acc);
            if (w >> i) & 1 == 1 {
                acc = m.mul(&acc, &two);
            }
        }
        m.rr = acc;
        Some(m)
    }

    fn used<'a>(&self, x: &'a Num) -> &'a [Limb] {
        x.get(..self.limbs).unwrap_or_default()
    }

    /// x = 2x mod n, for x < n.
    fn double(&self, x: &mut Num) {
        let mut carry = 0;
        for limb in x.iter_mut().take(self.limbs) {
            let next = *limb >> (LIMB_BITS - 1);
            *limb = (*limb << 1) | carry;
            carry = next;
        }
        if carry == 1 || !self.below(x) {
            self.sub_n(x);
        }
    }

    /// Whether x < n.
    fn below(&self, x: &Num) -> bool {
        for (a, b) in self.used(x).iter().rev().zip(self.used(&self.n).iter().rev()) {
            if a != b {
                return a < b;
            }
        }
        false
    }

    /// x = x − n, wrapping (callers know the true result is in [0, n)).
    fn sub_n(&self, x: &mut Num) {
        let mut borrow = false;
        for (a, &b) in x.iter_mut().zip(self.used(&self.n)) {
            let (d, b1) = a.overflowing_sub(b);
            let (d, b2) = d.overflowing_sub(Limb::from(borrow));
            *a = d;
            borrow = b1 || b2;
        }
    }

    /// a·b·R⁻¹ mod n for a, b < n (CIOS: Koç, Acar and Kaliski, 1996).
    fn mul(&self, a: &Num, b: &Num) -> Num {
        let a = self.used(a);
        let n = self.used(&self.n);
        // t holds n's limbs; its two top limbs (t_s, t_s1) live in locals:
        // the running sum stays below 2n·R.
        let mut t = [0; MAX_LIMBS];
        let mut t_s: Limb = 0;
        let body = t.get_mut(..self.limbs).unwrap_or_default();
        for &bi in self.used(b) {
            // t += a·bᵢ
            let carry = mac_row(body, bi, a);
            let x = Wide::from(t_s) + carry;
            t_s = lo(x);
            let t_s1 = lo(hi(x));
            // t = (t + m·n) / 2^limb bits, with m chosen so the low limb is 0.
            let Some((first, rest)) = body.split_first_mut() else { return [0; MAX_LIMBS] };
            let Some((&n_first, n_rest)) = n.split_first() else { return [0; MAX_LIMBS] };
            let m = first.wrapping_mul(self.n0);
            let mut carry = hi(Wide::from(*first) + Wide::from(m) * Wide::from(n_first));
            let mut prev = first;
            for (tj, &nj) in rest.iter_mut().zip(n_rest) {
                let x = Wide::from(*tj) + Wide::from(m) * Wide::from(nj) + carry;
                *prev = lo(x);
                carry = hi(x);
                prev = tj;
            }
            let x = Wide::from(t_s) + carry;
            *prev = lo(x);
            t_s = lo(Wide::from(t_s1) + hi(x));
        }
        let mut out = [0; MAX_LIMBS];
        for (o, &v) in out.iter_mut().zip(body.iter()) {
            *o = v;
        }
        // t < 2n: one conditional subtraction makes it < n.
        if t_s != 0 || !self.below(&out) {
            self.sub_n(&mut out);
        }
        out
    }

    /// a²·R⁻¹ mod n for a < n: the square (each cross product once, then
    /// doubled, then the diagonal), then Montgomery reduction. Squarings
    /// are 16 of the 18 multiplications of a verify with e = 65537, and
    /// this does about 3/4 of `mul`'s work for them.
    fn sqr(&self, a: &Num) -> Num {
        let s = self.limbs;
        let a = self.used(a);
        let n = self.used(&self.n);
        // The double-width square, 2s limbs.
        let mut t = [0 as Limb; 2 * MAX_LIMBS];
        let Some(t) = t.get_mut(..2 * s) else { return [0; MAX_LIMBS] };
        // Cross products a_i·a_j, i < j: rows i and i+1 in one pass over t
        // (two carry chains, as in the reduction below) while row i+1 has
        // products, then the last rows alone.
        let a_last = a.last().copied().unwrap_or(0);
        let mut i = 0;
        while i + 2 < s {
            let (Some(&ai), Some(&ai1)) = (a.get(i), a.get(i + 1)) else { break };
            let Some(window) = t.get_mut(2 * i + 1..) else { break };
            let [w0, w1, rest @ ..] = window else { break };
            let Some((mid, tail)) = rest.split_at_mut_checked(s - i - 3) else { break };
            let Some(&ai2) = a.get(i + 2) else { break };
            // Limbs 2i+1 and 2i+2: row i only.
            let x = Wide::from(*w0) + Wide::from(ai) * Wide::from(ai1);
            *w0 = lo(x);
            let x = Wide::from(*w1) + Wide::from(ai) * Wide::from(ai2) + hi(x);
            *w1 = lo(x);
            // Limbs 2i+3 ..= i+s−1: a_i·a_(p−i) and a_(i+1)·a_(p−i−1).
            let (c0, c1) = mac_two_rows(
                mid,
                (ai, a.get(i + 3..).unwrap_or_default(), hi(x)),
                (ai1, a.get(i + 2..).unwrap_or_default(), 0),
            );
            // Limb i+s (not yet written): row i's carry, row i+1's last
            // product; limb i+s+1: the rest.
            let [t_s, t_s1, ..] = tail else { break };
            let y = c0 + Wide::from(ai1) * Wide::from(a_last) + c1;
            *t_s = lo(y);
            *t_s1 = lo(hi(y));
            i += 2;
        }
        for (i, &ai) in a.iter().enumerate().skip(i) {
            let Some(row) = t.get_mut(2 * i + 1..) else { break };
            let rest = a.get(i + 1..).unwrap_or_default();
            let carry = mac_row(row, ai, rest);
            if let Some(top) = row.get_mut(rest.len()) {
                *top = lo(carry);
            }
        }
        // Doubled, plus the diagonal a_i².
        let mut shifted: Limb = 0;
        let mut carry: Wide = 0;
        for (pair, &ai) in t.chunks_exact_mut(2).zip(a) {
            let sq = Wide::from(ai) * Wide::from(ai);
            let [low, high] = pair else { break };
            let d_low = (*low << 1) | shifted;
            let d_high = (*high << 1) | (*low >> (LIMB_BITS - 1));
            shifted = *high >> (LIMB_BITS - 1);
            let x = Wide::from(d_low) + Wide::from(lo(sq)) + carry;
            *low = lo(x);
            let x = Wide::from(d_high) + hi(sq) + hi(x);
            *high = lo(x);
            carry = hi(x);
        }
        // Montgomery reduction: s rounds each clearing the lowest limb, two
        // at a time (one pass over t for both, with two carry chains that
        // the CPU can overlap), the last one alone when s is odd.
        let mut top: Wide = 0;
        let (n_0, n_1) = (n.first().copied().unwrap_or(0), n.get(1).copied().unwrap_or(0));
        let (n_from_1, n_from_2) = (n.get(1..).unwrap_or_default(), n.get(2..).unwrap_or_default());
        let n_last = n.last().copied().unwrap_or(0);
        let mut i = 0;
        while i + 1 < s {
            let Some(window) = t.get_mut(i..) else { break };
            let [t0, t1, rest @ ..] = window else { break };
            // Row i clears limb i; row i+1 clears limb i+1 as row i left it.
            let m0 = t0.wrapping_mul(self.n0);
            let c0 = hi(Wide::from(*t0) + Wide::from(m0) * Wide::from(n_0));
            let x = Wide::from(*t1) + Wide::from(m0) * Wide::from(n_1) + c0;
            let m1 = lo(x).wrapping_mul(self.n0);
            let c1 = hi(Wide::from(lo(x)) + Wide::from(m1) * Wide::from(n_0));
            // Limbs i+2 ..= i+s−1: both rows' products.
            let Some((body, tail)) = rest.split_at_mut_checked(s - 2) else { break };
            let (c0, c1) = mac_two_rows(body, (m0, n_from_2, hi(x)), (m1, n_from_1, c1));
            // Limb i+s: row i's carry and the pending one, row i+1's last
            // product; limb i+s+1: what is left of both.
            let [t_s, t_s1, ..] = tail else { break };
            let x = Wide::from(*t_s) + c0 + top;
            let y = Wide::from(lo(x)) + Wide::from(m1) * Wide::from(n_last) + c1;
            *t_s = lo(y);
            let z = Wide::from(*t_s1) + hi(x) + hi(y);
            *t_s1 = lo(z);
            top = hi(z);
            i += 2;
        }
        if i < s {
            // The last round when s is odd.
            let Some(window) = t.get_mut(i..) else { return [0; MAX_LIMBS] };
            let Some(&first) = window.first() else { return [0; MAX_LIMBS] };
            let carry = mac_row(window, first.wrapping_mul(self.n0), n);
            if let Some(t_s) = window.get_mut(s) {
                let x = Wide::from(*t_s) + carry + top;
                *t_s = lo(x);
                top = hi(x);
            }
        }
        let mut out = [0; MAX_LIMBS];
        for (o, &v) in out.iter_mut().zip(t.get(s..).unwrap_or_default()) {
            *o = v;
        }
        // The result is below 2n: one conditional subtraction.
        if top != 0 || !self.below(&out) {
            self.sub_n(&mut out);
        }
        out
    }

    /// base^e mod n for base < n (big-endian bytes of the modulus length)
    /// and e ≥ 1, written big-endian into `out` (the modulus length).
    pub(super) fn pow(&self, base: &[u8], e: u64, out: &mut [u8]) {
        let mut plain = [0; MAX_LIMBS];
        from_be(base, &mut plain);
        let b = self.mul(&plain, &self.rr); // base·R mod n
        let mut acc = b;
        let top = u64::BITS - 1 - e.leading_zeros();
        for i in (0..top).rev() {
            acc = self.sqr(&acc);
            if (e >> i) & 1 == 1 {
                if i == 0 {
                    // The last multiplication (every odd e has one) takes
                    // the base as it is: (a·R)·base·R⁻¹ = a·base, already
                    // out of the Montgomery domain, which saves the
                    // multiplication by 1 below (1 of 19 for e = 65537).
                    to_be(&self.mul(&acc, &plain), out);
                    return;
                }
                acc = self.mul(&acc, &b);
            }
        }
        let mut one = [0; MAX_LIMBS];
        one[0] = 1;
        let acc = self.mul(&acc, &one); // out of the Montgomery domain
        to_be(&acc, out);
    }

    /// n, big-endian, into `out` (the modulus length).
    pub(super) fn to_bytes(&self, out: &mut [u8]) {
        to_be(&self.n, out);
    }

    /// Whether the big-endian number `x` (of the modulus length) is below n.
    pub(super) fn exceeds(&self, be: &[u8]) -> bool {
        let mut x = [0; MAX_LIMBS];
        from_be(be, &mut x);
        !self.below(&x)
    }
}

/// t += x·ys over as many limbs as both have; returns the carry out of
/// the last one. The inner loop of every multiplication here.
#[inline(always)]
fn mac_row(t: &mut [Limb], x: Limb, ys: &[Limb]) -> Wide {
    let mut carry: Wide = 0;
    for (tj, &y) in t.iter_mut().zip(ys) {
        let v = Wide::from(*tj) + Wide::from(x) * Wide::from(y) + carry;
        *tj = lo(v);
        carry = hi(v);
    }
    carry
}

/// Two rows in one pass: t[j] += x₀·ys₀[j] + x₁·ys₁[j], each row with its
/// own carry chain (given in, returned out), so that the CPU can overlap
/// them; each limb of t is loaded and stored once for both. Every sum fits:
/// limb + limb·limb + carry < 2^(2·limb bits).
#[inline(always)]
fn mac_two_rows(t: &mut [Limb], row0: (Limb, &[Limb], Wide), row1: (Limb, &[Limb], Wide)) -> (Wide, Wide) {
    let ((x0, ys0, mut c0), (x1, ys1, mut c1)) = (row0, row1);
    for ((tj, &y0), &y1) in t.iter_mut().zip(ys0).zip(ys1) {
        let v = Wide::from(*tj) + Wide::from(x0) * Wide::from(y0) + c0;
        c0 = hi(v);
        let w = Wide::from(lo(v)) + Wide::from(x1) * Wide::from(y1) + c1;
        *tj = lo(w);
        c1 = hi(w);
    }
    (c0, c1)
}

/// Big-endian bytes (at most `MAX_BYTES`) into little-endian limbs.
fn from_be(be: &[u8], out: &mut Num) {
    for (limb, chunk) in out.iter_mut().zip(be.rchunks(LIMB_BYTES)) {
        *limb = chunk.iter().fold(0, |acc, &b| (acc << 8) | Limb::from(b));
    }
}

/// Little-endian limbs into big-endian bytes filling `out`.
fn to_be(x: &Num, out: &mut [u8]) {
    for (chunk, limb) in out.rchunks_mut(LIMB_BYTES).zip(x.iter()) {
        let bytes = limb.to_be_bytes();
        let skip = bytes.len().saturating_sub(chunk.len());
        chunk.copy_from_slice(bytes.get(skip..).unwrap_or_default());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The squaring (cross products once, doubled, then the reduction) and
    /// the multiplication (CIOS) are two independent codings of a·a·R⁻¹
    /// mod n: they agree for moduli of every size up to RSA-4096, with the
    /// edges (0, 1, n−1, all-ones limbs) and random values.
    // Truncating random words into bytes and limbs is the point.
    #[allow(clippy::cast_possible_truncation, clippy::indexing_slicing)]
    #[test]
    fn squaring_agrees_with_multiplication_at_every_size() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let sizes: &[usize] = if cfg!(miri) { &[1, 2, 9, 17, 33, 257] } else { &[] };
        let all: [usize; 24] =
            [1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 384, 511, MAX_BYTES];
        let sizes = if sizes.is_empty() { &all[..] } else { sizes };
        for &len in sizes {
            for round in 0..if cfg!(miri) { 1 } else { 12 } {
                let mut be = [0u8; MAX_BYTES];
                let be = &mut be[..len];
                for b in be.iter_mut() {
                    *b = next() as u8;
                }
                be[0] |= 0x80 >> (round % 8);
                be[len - 1] |= 1;
                if round == 1 {
                    be.fill(0xff); // all-ones limbs: every carry taken
                }
                let m = Modulus::new(be).unwrap();
                let mut n = [0; MAX_LIMBS];
                from_be(be, &mut n);
                let mut n_minus_1 = n;
                n_minus_1[0] -= 1;
                let mut random = [0; MAX_LIMBS];
                for limb in random.iter_mut().take(m.limbs) {
                    *limb = next() as Limb;
                }
                random[m.limbs - 1] %= n[m.limbs - 1].max(1); // below n
                let mut one = [0; MAX_LIMBS];
                one[0] = 1;
                for a in [[0; MAX_LIMBS], one, n_minus_1, random] {
                    assert_eq!(m.sqr(&a)[..m.limbs], m.mul(&a, &a)[..m.limbs], "{len} bytes, round {round}");
                }
            }
        }
    }
}
