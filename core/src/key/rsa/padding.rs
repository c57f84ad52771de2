//! The two RSA signature encodings JOSE uses, checked against the
//! message representative `m = s^e mod n`: EMSA-PKCS1-v1_5 (RFC 8017 §9.2)
//! by building the one valid encoding and comparing it whole, never by
//! parsing the decrypted block (the Bleichenbacher 2006 forgeries lived in
//! such parsers), and EMSA-PSS (RFC 8017 §9.1.2) with MGF1 on the same hash
//! and a salt as long as the hash (RFC 7518 §3.5).

use sha2::Digest;

use super::modulus::MAX_BYTES;

/// The hash of an RSA algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

/// The longest hash output (SHA-512).
const MAX_HASH: usize = 64;

fn run<D: Digest>(parts: &[&[u8]], out: &mut [u8; MAX_HASH]) -> usize {
    let mut h = D::new();
    for part in parts {
        h.update(part);
    }
    let digest = h.finalize();
    let n = digest.len();
    if let Some(dst) = out.get_mut(..n) {
        dst.copy_from_slice(&digest);
    }
    n
}

impl Hash {
    /// H(parts concatenated), into `out`; the hash's length is returned.
    fn digest<'o>(self, parts: &[&[u8]], out: &'o mut [u8; MAX_HASH]) -> &'o [u8] {
        let n = match self {
            Hash::Sha256 => run::<sha2::Sha256>(parts, out),
            Hash::Sha384 => run::<sha2::Sha384>(parts, out),
            Hash::Sha512 => run::<sha2::Sha512>(parts, out),
        };
        out.get(..n).unwrap_or_default()
    }

    const fn len(self) -> usize {
        match self {
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    /// The DER of `DigestInfo` up to the digest itself: the AlgorithmIdentifier
    /// with its NULL parameter (RFC 8017 §9.2 note 1; the form without NULL
    /// is refused), then the OCTET STRING header.
    const fn digest_info_prefix(self) -> &'static [u8] {
        match self {
            Hash::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
                0x04, 0x20,
            ],
            Hash::Sha384 => &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00,
                0x04, 0x30,
            ],
            Hash::Sha512 => &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00,
                0x04, 0x40,
            ],
        }
    }
}

/// Whether `em` (k bytes, k the modulus length) is exactly
/// EMSA-PKCS1-v1_5(`message`): `00 01 FF…FF 00 DigestInfo(H(message))`.
pub(super) fn pkcs1_v15_matches(em: &[u8], hash: Hash, message: &[u8]) -> bool {
    let mut h = [0u8; MAX_HASH];
    let h = hash.digest(&[message], &mut h);
    let prefix = hash.digest_info_prefix();
    let k = em.len();
    let t_len = prefix.len() + h.len();
    // RFC 8017 §9.2 step 4: at least 8 bytes of 0xFF.
    let Some(ps_len) = k.checked_sub(t_len + 3).filter(|&n| n >= 8) else { return false };
    let mut expected = [0u8; MAX_BYTES];
    let Some(expected) = expected.get_mut(..k) else { return false };
    let (head, t) = expected.split_at_mut(k - t_len);
    let (ps, sep) = head.split_at_mut(2 + ps_len);
    ps.fill(0xFF);
    if let Some(start) = ps.get_mut(..2) {
        start.copy_from_slice(&[0x00, 0x01]);
    }
    sep.fill(0x00);
    let (t_prefix, t_hash) = t.split_at_mut(prefix.len());
    t_prefix.copy_from_slice(prefix);
    t_hash.copy_from_slice(h);
    em == expected
}

/// XORs MGF1(seed) (RFC 8017 B.2.1) into `out`.
fn mgf1_xor(hash: Hash, seed: &[u8], out: &mut [u8]) {
    let mut counter: u32 = 0;
    for chunk in out.chunks_mut(hash.len()) {
        let mut t = [0u8; MAX_HASH];
        let t = hash.digest(&[seed, &counter.to_be_bytes()], &mut t);
        for (o, m) in chunk.iter_mut().zip(t) {
            *o ^= m;
        }
        counter = counter.wrapping_add(1);
    }
}

/// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) of `m` (k bytes, the message
/// representative; changed in place) for a modulus of `mod_bits` bits,
/// salt length = hash length.
pub(super) fn pss_matches(m: &mut [u8], mod_bits: usize, hash: Hash, message: &[u8]) -> bool {
    // RFC 8017 §8.1.2 step 2c: emBits = modBits − 1, and I2OSP(m, emLen)
    // fails when m does not fit: the k − emLen (0 or 1) leading bytes are 0.
    let Some(em_bits) = mod_bits.checked_sub(1) else { return false };
    let em_len = em_bits.div_ceil(8);
    let Some(lead_len) = m.len().checked_sub(em_len) else { return false };
    let (lead, em) = m.split_at_mut(lead_len);
    if lead.iter().any(|&b| b != 0) {
        return false;
    }
    let (h_len, s_len) = (hash.len(), hash.len());
    // Step 3.
    if em_len < h_len + s_len + 2 {
        return false;
    }
    // Step 4.
    let Some((last, em)) = em.split_last_mut() else { return false };
    if *last != 0xbc {
        return false;
    }
    // Step 5.
    let (masked_db, h) = em.split_at_mut(em_len - h_len - 1);
    // Step 6: the leftmost 8·emLen − emBits bits of maskedDB are zero.
    let top_mask = 0xFFu8 >> (8 * em_len - em_bits);
    let Some(first) = masked_db.first_mut() else { return false };
    if *first & !top_mask != 0 {
        return false;
    }
    // Steps 7 to 9.
    mgf1_xor(hash, h, masked_db);
    if let Some(first) = masked_db.first_mut() {
        *first &= top_mask;
    }
    // Step 10: DB = PS (zeros) ‖ 0x01 ‖ salt.
    let ps_len = em_len - h_len - s_len - 2;
    let (ps, rest) = masked_db.split_at(ps_len);
    let Some((&0x01, salt)) = rest.split_first() else { return false };
    if ps.iter().any(|&b| b != 0) {
        return false;
    }
    // Steps 11 to 14.
    let mut m_hash = [0u8; MAX_HASH];
    let m_hash = hash.digest(&[message], &mut m_hash);
    let mut h2 = [0u8; MAX_HASH];
    let h2 = hash.digest(&[&[0u8; 8], m_hash, salt], &mut h2);
    h2 == &*h
}
