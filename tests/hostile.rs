//! Hostile inputs: a table of named cases, each with the error class it must
//! produce, run under a counting allocator that caps what one case may
//! allocate. No case may panic, and none may allocate more than
//! `ALLOC_CAP` bytes at its peak.

use flate2::{Compress, Compression, FlushCompress};
use healthpass::cbor::Encoder;
use healthpass::cose::{self, CoseSign1};
use healthpass::crypto::Algorithm;
use healthpass::{transport, Error, ErrorKind, UnixTime};

mod heap;
use heap::{measured, ALLOC_CAP};

mod common;
use common::{demo_verifier, hex};

fn now() -> UnixTime {
    UnixTime::parse_rfc3339("2030-01-01T00:00:00Z").unwrap()
}

fn valid_text() -> String {
    include_str!("../demo/valid.txt").trim().to_string()
}

fn valid_cose() -> Vec<u8> {
    transport::decode_text(&valid_text()).unwrap()
}

/// Splits the demo COSE into (protected, payload, signature).
fn parts() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let cose_bytes = valid_cose();
    let v = healthpass::cbor::decode_exact(&cose_bytes, "cose").unwrap();
    let healthpass::cbor::Value::Tag(18, inner) = v else {
        panic!()
    };
    let healthpass::cbor::Value::Array(items) = *inner else {
        panic!()
    };
    let b = |i: usize| match &items[i] {
        healthpass::cbor::Value::Bytes(b) => b.to_vec(),
        _ => panic!(),
    };
    (b(0), b(2), b(3))
}

/// A zlib stream of `mib` MiB of zeros, built from one repeated
/// full-flushed deflate block, so that even a 1 GiB bomb is cheap to make.
fn zlib_bomb(mib: usize) -> Vec<u8> {
    let mut c = Compress::new(Compression::best(), true);
    let zeros = vec![0u8; 1 << 20];
    let mut header_and_block = Vec::with_capacity(64 * 1024);
    while c.total_in() < zeros.len() as u64 {
        let done = c.total_in() as usize;
        c.compress_vec(&zeros[done..], &mut header_and_block, FlushCompress::None)
            .unwrap();
    }
    c.compress_vec(&[], &mut header_and_block, FlushCompress::Full)
        .unwrap();
    assert_eq!(c.total_in(), zeros.len() as u64);
    let (header, block) = header_and_block.split_at(2);
    let mut out = header.to_vec();
    for _ in 0..mib {
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&[0x03, 0x00]); // final, empty fixed-Huffman block
                                          // Adler-32 of n zeros: a = 1, b = n mod 65521.
    let n = (mib as u64) << 20;
    let adler = ((n % 65521) << 16) | 1;
    out.extend_from_slice(&(adler as u32).to_be_bytes());
    out
}

fn reencode(protected: &[u8], payload: &[u8], sig: &[u8]) -> Vec<u8> {
    cose::build(protected, payload, sig)
}

#[test]
fn zlib_bombs_stop_at_the_cap() {
    // The bomb generator is right: a small one inflates fully without a cap.
    let small = zlib_bomb(1);
    let mut out = Vec::new();
    transport::inflate_into(&small, 2 << 20, &mut out).unwrap();
    assert_eq!(out.len(), 1 << 20);

    for mib in [64, 1024] {
        let bomb = zlib_bomb(mib);
        let (r, peak) = measured(|| transport::inflate(&bomb));
        assert_eq!(
            r,
            Err(Error::InflatedTooLarge {
                max: transport::MAX_INFLATED_LEN
            })
        );
        assert!(peak <= ALLOC_CAP, "{mib} MiB bomb: peak {peak} bytes");
        // As text it is far over the length cap and never inflated.
        let text = format!("HC1:{}", transport::base45_encode(&bomb));
        let (r, peak) = measured(|| demo_verifier().verify_hcert(&text, now()));
        assert!(matches!(r, Err(Error::InputTooLong { .. })), "{mib} MiB");
        assert!(peak <= ALLOC_CAP + text.len());
    }
    // A bomb small enough to pass the text cap still stops at 64 KiB.
    let bomb = zlib_bomb(5);
    let text = format!("HC1:{}", transport::base45_encode(&bomb));
    assert!(text.len() <= transport::MAX_TEXT_LEN, "{}", text.len());
    let verifier = demo_verifier();
    let (r, peak) = measured(|| verifier.verify_hcert(&text, now()));
    assert_eq!(
        r.unwrap_err(),
        Error::InflatedTooLarge {
            max: transport::MAX_INFLATED_LEN
        }
    );
    assert!(peak <= ALLOC_CAP, "peak {peak}");
}

#[test]
fn table_of_hostile_inputs() {
    for (name, backend) in common::backends() {
        println!("backend {name}");
        hostile_table(&common::demo_verifier_with(backend));
    }
}

fn hostile_table(verifier: &healthpass::Verifier) {
    let (protected, payload, sig) = parts();
    let good = valid_cose();
    let zlib = transport::deflate(&good).unwrap();

    let nested = |open: &[u8], n: usize| -> Vec<u8> {
        open.iter().copied().cycle().take(n * open.len()).collect()
    };
    let mut with_trailing = good.clone();
    with_trailing.push(0x00);
    let mut zlib_trailing = zlib.clone();
    zlib_trailing.extend_from_slice(b"junk");
    let zlib_no_adler = zlib[..zlib.len() - 4].to_vec();
    let dup_protected = {
        let mut e = Encoder::new();
        let kid = common::demo_kid();
        e.map(3).int(1).int(-7).int(4).bytes(&kid).int(1).int(-7);
        e.into_bytes()
    };
    let der_sig = {
        let s = p256::ecdsa::Signature::from_slice(&sig).unwrap();
        s.to_der().as_bytes().to_vec()
    };
    let n = hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    let mut r_zero = sig.clone();
    r_zero[..32].fill(0);
    let mut s_zero = sig.clone();
    s_zero[32..].fill(0);
    let mut r_n = sig.clone();
    r_n[..32].copy_from_slice(&n);
    let mut s_n = sig.clone();
    s_n[32..].copy_from_slice(&n);
    let mut s_max = sig.clone();
    s_max[32..].fill(0xFF);
    let long_len_bytes = hex("d2845b7fffffffffffffff");
    let long_len_items = hex("d29b7fffffffffffffff");
    let open_indefinite = hex("d29f40a0");
    let unprotected_indefinite_open = hex("d2845f");

    // (name, COSE bytes, class it must produce)
    let cose_cases: Vec<(&str, Vec<u8>, ErrorKind)> = vec![
        (
            "100 000 nested arrays",
            nested(&[0x81], 100_000),
            ErrorKind::Malformed,
        ),
        (
            "100 000 nested maps",
            nested(&[0xA1, 0x00], 100_000),
            ErrorKind::Malformed,
        ),
        (
            "100 000 nested indefinite arrays",
            nested(&[0x9F], 100_000),
            ErrorKind::Malformed,
        ),
        (
            "100 000 nested tags",
            nested(&[0xD2], 100_000),
            ErrorKind::Malformed,
        ),
        (
            "byte string claiming 2^63 bytes",
            long_len_bytes,
            ErrorKind::Malformed,
        ),
        (
            "array claiming 2^63 items",
            long_len_items,
            ErrorKind::Malformed,
        ),
        (
            "indefinite array left open",
            open_indefinite,
            ErrorKind::Malformed,
        ),
        (
            "indefinite byte string left open",
            unprotected_indefinite_open,
            ErrorKind::Malformed,
        ),
        ("byte after the COSE", with_trailing, ErrorKind::Malformed),
        (
            "duplicate alg in the protected header",
            reencode(&dup_protected, &payload, &sig),
            ErrorKind::Malformed,
        ),
        (
            "DER-encoded ECDSA signature",
            reencode(&protected, &payload, &der_sig),
            ErrorKind::BadSignature,
        ),
        (
            "signature with r = 0",
            reencode(&protected, &payload, &r_zero),
            ErrorKind::BadSignature,
        ),
        (
            "signature with s = 0",
            reencode(&protected, &payload, &s_zero),
            ErrorKind::BadSignature,
        ),
        (
            "signature with r = n",
            reencode(&protected, &payload, &r_n),
            ErrorKind::BadSignature,
        ),
        (
            "signature with s = n",
            reencode(&protected, &payload, &s_n),
            ErrorKind::BadSignature,
        ),
        (
            "signature with s > n",
            reencode(&protected, &payload, &s_max),
            ErrorKind::BadSignature,
        ),
        (
            "signature cut to 63 bytes",
            reencode(&protected, &payload, &sig[..63]),
            ErrorKind::BadSignature,
        ),
        (
            "empty signature",
            reencode(&protected, &payload, &[]),
            ErrorKind::BadSignature,
        ),
        (
            "ES384 alg with a P-256 signer",
            reencode(
                &cose::protected_header(Algorithm::Es384, &common::demo_kid()),
                &payload,
                &sig,
            ),
            ErrorKind::Untrusted,
        ),
        (
            "unknown kid",
            reencode(
                &cose::protected_header(Algorithm::Es256, &[0; 8]),
                &payload,
                &sig,
            ),
            ErrorKind::Untrusted,
        ),
    ];
    for (name, bytes, kind) in &cose_cases {
        let (r, peak) = measured(|| verifier.verify_hcert_cose(bytes, now()));
        let e = r.err().unwrap_or_else(|| panic!("{name}: accepted"));
        assert_eq!(e.kind(), *kind, "{name}: {e}");
        assert!(peak <= ALLOC_CAP, "{name}: peak {peak} bytes");
        // and through the whole text pipeline
        let text = transport::encode_text(bytes).unwrap();
        if text.len() <= transport::MAX_TEXT_LEN {
            let e = verifier.verify_hcert(&text, now()).unwrap_err();
            assert_eq!(e.kind(), *kind, "{name} (text): {e}");
        }
    }

    // (name, text, class)
    let b45 = |z: &[u8]| format!("HC1:{}", transport::base45_encode(z));
    let text_cases: Vec<(&str, String, ErrorKind)> = vec![
        ("empty", String::new(), ErrorKind::Malformed),
        ("prefix only", "HC1:".into(), ErrorKind::Malformed),
        (
            "other prefix",
            valid_text().replacen("HC1:", "HC2:", 1),
            ErrorKind::Malformed,
        ),
        (
            "lowercase base45",
            valid_text().to_lowercase().replacen("hc1:", "HC1:", 1),
            ErrorKind::Malformed,
        ),
        ("not compressed", b45(&good), ErrorKind::Malformed),
        (
            "bytes after the zlib stream",
            b45(&zlib_trailing),
            ErrorKind::Malformed,
        ),
        (
            "Adler-32 missing",
            b45(&zlib_no_adler),
            ErrorKind::Malformed,
        ),
        ("NUL bytes", "HC1:\0\0\0".into(), ErrorKind::Malformed),
        (
            "8 KiB + 1 of text",
            format!("HC1:{}", "0".repeat(transport::MAX_TEXT_LEN)),
            ErrorKind::Malformed,
        ),
    ];
    for (name, text, kind) in &text_cases {
        let (r, peak) = measured(|| verifier.verify_hcert(text, now()));
        let e = r.err().unwrap_or_else(|| panic!("{name}: accepted"));
        assert_eq!(e.kind(), *kind, "{name}: {e}");
        assert!(peak <= ALLOC_CAP, "{name}: peak {peak} bytes");
    }
}

#[test]
fn truncation_at_every_byte_is_rejected() {
    let verifier = demo_verifier();
    let good = valid_cose();
    for n in 0..good.len() {
        assert!(
            verifier.verify_hcert_cose(&good[..n], now()).is_err(),
            "COSE cut at {n}"
        );
    }
    let text = valid_text();
    for n in 0..text.len() {
        assert!(
            verifier.verify_hcert(&text[..n], now()).is_err(),
            "text cut at {n}"
        );
    }
    let zlib = transport::deflate(&good).unwrap();
    for n in 0..zlib.len() {
        let t = format!("HC1:{}", transport::base45_encode(&zlib[..n]));
        assert!(verifier.verify_hcert(&t, now()).is_err(), "zlib cut at {n}");
    }
}

#[test]
fn every_bit_and_byte_change_is_rejected() {
    for (_, backend) in common::backends() {
        every_change_rejected(&common::demo_verifier_with(backend));
    }
}

fn every_change_rejected(verifier: &healthpass::Verifier) {
    let good = valid_cose();
    assert!(verifier.verify_hcert_cose(&good, now()).is_ok());
    for i in 0..good.len() {
        for bit in 0..8 {
            let mut b = good.clone();
            b[i] ^= 1 << bit;
            assert!(
                verifier.verify_hcert_cose(&b, now()).is_err(),
                "bit {bit} of byte {i}"
            );
        }
        for v in [0x00, 0xFF, good[i].wrapping_add(1)] {
            if v == good[i] {
                continue;
            }
            let mut b = good.clone();
            b[i] = v;
            assert!(
                verifier.verify_hcert_cose(&b, now()).is_err(),
                "byte {i} = {v:#x}"
            );
        }
    }
    // and in the text: any other character of the alphabet at any position
    let text = valid_text();
    for (i, c) in text.char_indices().skip(4) {
        let other = if c == 'A' { 'B' } else { 'A' };
        let mut t = text.clone();
        t.replace_range(i..i + 1, &other.to_string());
        assert!(verifier.verify_hcert(&t, now()).is_err(), "char {i}");
    }
}

#[test]
fn parsing_alone_never_panics_on_random_bytes() {
    // A cheap deterministic sweep; the fuzz targets go further.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..20_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = (x % 64) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|i| (x.rotate_left(i as u32 * 7) & 0xFF) as u8)
            .collect();
        let _ = CoseSign1::parse(&bytes);
        let _ = healthpass::cbor::decode_exact(&bytes, "x");
        let _ = transport::inflate(&bytes);
        let _ = healthpass::cwt::decode(&bytes);
    }
}

/// A text inside the 8 KiB cap whose unprotected header holds 1024
/// near-identical keys: no trusted kid is needed to make the decoder check
/// them all for duplicates. The check sorts (O(n log n)); this prints what
/// one such verify costs against a normal one.
#[test]
fn a_thousand_near_identical_header_keys_cost_little() {
    let (protected, payload, sig) = parts();
    let flood = |dup: bool| {
        let mut e = Encoder::new();
        e.tag(18).array(4).bytes(&protected).map(1024);
        for i in 0..1024u16 {
            let mut key = vec![b'k'; 30];
            let n = if dup && i == 1023 { 0 } else { i };
            key.extend_from_slice(&n.to_be_bytes());
            e.bytes(&key).int(0);
        }
        e.bytes(&payload).bytes(&sig);
        transport::encode_text(&e.into_bytes()).unwrap()
    };
    let verifier = demo_verifier();
    let normal = valid_text();
    for (dup, want) in [(false, None), (true, Some(ErrorKind::Malformed))] {
        let text = flood(dup);
        assert!(text.len() <= transport::MAX_TEXT_LEN, "{}", text.len());
        let (r, peak) = measured(|| verifier.verify_hcert(&text, now()));
        assert_eq!(r.err().map(|e| e.kind()), want, "duplicate: {dup}");
        assert!(peak <= ALLOC_CAP, "peak {peak}");
        let time = |t: &str| {
            let start = std::time::Instant::now();
            for _ in 0..20 {
                let _ = verifier.verify_hcert(t, now());
            }
            start.elapsed()
        };
        let (flooded, plain) = (time(&text), time(&normal));
        println!(
            "1024 header keys (duplicate: {dup}, {} chars): {:.1}x a normal verify",
            text.len(),
            flooded.as_secs_f64() / plain.as_secs_f64()
        );
    }
}

/// A trust file of one certificate repeated 20 000 times (14 MB) loads as
/// one signer, without parsing the copies; a pass is tried against one key.
#[test]
fn a_trust_file_of_one_certificate_repeated_is_one_signer() {
    let many = std::str::from_utf8(common::DEMO_CERT_PEM)
        .unwrap()
        .repeat(20_000);
    let (r, peak) = measured(|| {
        let mut trust = healthpass::TrustList::new();
        trust
            .add_any(many.as_bytes())
            .map(|kids| (kids.len(), trust.len()))
    });
    assert_eq!(r.unwrap(), (20_000, 1));
    println!("14 MB trust file of one certificate: peak heap {peak} bytes");
    assert!(peak <= ALLOC_CAP, "peak {peak}");
}

#[test]
fn peak_heap_of_a_normal_verify() {
    let verifier = demo_verifier();
    let text = valid_text();
    verifier.verify_hcert(&text, now()).unwrap(); // warm up lazily built tables
    let (r, peak) = measured(|| verifier.verify_hcert(&text, now()).map(|p| p.verdict()));
    assert!(r.unwrap().is_valid());
    println!("peak heap of one verify (text to verdict): {peak} bytes");
    // zlib-rs' window (32 KiB) and state dominate; everything else is small.
    assert!(peak <= 64 * 1024, "peak {peak}");
}

/// A greyscale PNG of `side`² pixels tiled with QR finder patterns (7 x 7
/// modules of `scale` pixels, one module apart).
#[cfg(feature = "qr")]
fn finder_pattern_flood(side: usize, scale: usize) -> Vec<u8> {
    let dark = |m: usize, n: usize| {
        let ring = |v: usize| v == 0 || v == 6;
        ring(m) || ring(n) || ((2..=4).contains(&m) && (2..=4).contains(&n))
    };
    let tile = 8 * scale;
    let mut raw = Vec::with_capacity(side * (side + 1));
    for y in 0..side {
        raw.push(0); // filter: none
        for x in 0..side {
            let (ty, tx) = (y % tile, x % tile);
            let inside = ty < 7 * scale && tx < 7 * scale;
            raw.push(if inside && dark(ty / scale, tx / scale) {
                0
            } else {
                255
            });
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut z, &raw).unwrap();
    let idat = [b"IDAT".as_slice(), &z.finish().unwrap()].concat();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&(side as u32).to_be_bytes());
    ihdr.extend_from_slice(&(side as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for chunk in [&ihdr[..], &idat[..], b"IEND"] {
        png.extend_from_slice(&(chunk.len() as u32 - 4).to_be_bytes());
        png.extend_from_slice(chunk);
        png.extend_from_slice(&png_crc32(chunk).to_be_bytes());
    }
    png
}

#[cfg(feature = "qr")]
fn png_crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// PNG headers that claim huge images are refused before any pixel is
/// decoded, within the heap cap; an image full of finder patterns is
/// answered fast.
#[cfg(feature = "qr")]
#[test]
fn hostile_images_are_refused_cheaply() {
    fn png_claiming(width: u32, height: u32) -> Vec<u8> {
        // A valid signature and IHDR chunk (greyscale, 8 bits) with a correct
        // CRC, then an IDAT that does not hold the pixels it would need.
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&png_crc32(&ihdr).to_be_bytes());
        let idat = [b"IDAT".as_slice(), &[0x78, 0x9C, 0x03, 0x00]].concat();
        png.extend_from_slice(&4u32.to_be_bytes());
        png.extend_from_slice(&idat);
        png.extend_from_slice(&png_crc32(&idat).to_be_bytes());
        png
    }
    for (w, h) in [(100_000, 100_000), (4097, 10), (10, 1 << 31), (4096, 4096)] {
        let png = png_claiming(w, h);
        let (r, peak) = measured(|| healthpass::qr::decode_image(&png));
        assert!(r.is_err(), "{w}x{h}");
        // 4096² is within the side limit: its 16 MiB buffer is allowed.
        let cap = if u64::from(w) * u64::from(h) <= 4096 * 4096 {
            20 << 20
        } else {
            ALLOC_CAP
        };
        assert!(peak <= cap, "{w}x{h}: peak {peak} bytes");
    }
    // 1024 x 1024 pixels tiled with QR finder patterns (16 384 of them):
    // the detector keeps at most 32, so this is answered in milliseconds.
    let flood = finder_pattern_flood(1024, 1);
    assert!(flood.len() < 8 * 1024, "{}", flood.len());
    let (r, peak) = measured(|| healthpass::qr::decode_image(&flood));
    assert_eq!(r, Err(healthpass::Error::Qr("no qr code found")));
    assert!(peak <= 20 << 20, "peak {peak} bytes");
    let big = vec![0u8; healthpass::qr::MAX_IMAGE_BYTES + 1];
    assert_eq!(
        healthpass::qr::decode_image(&big),
        Err(healthpass::Error::Qr("image file too large"))
    );
}

/// SMART Health Cards and ICAO seals: hostile texts give their class, within
/// the heap cap; a deflate bomb is inflated only once signed, and then
/// stops at the cap.
#[cfg(all(feature = "shc", feature = "icao"))]
#[test]
fn other_formats_hostile_inputs() {
    use base64ct::{Base64UrlUnpadded, Encoding as _};
    use healthpass::formats::shc::ShcIssuers;

    let data = |p: &str| {
        std::fs::read_to_string(format!("{}/tests/data/{p}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    let mut issuers = ShcIssuers::new();
    issuers
        .add_jwks_strict(
            &data("shc/example-issuer.jwks.json"),
            healthpass::formats::shc::KeyBinding::AnyIssuer,
        )
        .unwrap();
    let mut trust = healthpass::TrustList::new();
    trust.add_pem(&data("icao/JP-seal-signer.pem")).unwrap();
    let verifier = healthpass::Verifier::builder()
        .trust_list(trust)
        .shc_issuers(issuers)
        .build()
        .unwrap();
    let kid = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s";
    let key = healthpass::formats::shc::signing_key_from_jwk(
        &data("shc/example-issuer.jwks.private.json"),
        Some(kid),
    )
    .unwrap();
    let numeric = |jws: &str| -> String {
        let mut out = String::from("shc:/");
        for b in jws.bytes() {
            out.push_str(&format!("{:02}", b - 45));
        }
        out
    };
    let jws_of = |header: &str, payload: &[u8], signed: bool| -> String {
        let input = format!(
            "{}.{}",
            Base64UrlUnpadded::encode_string(header.as_bytes()),
            Base64UrlUnpadded::encode_string(payload)
        );
        let sig = if signed {
            key.sign(input.as_bytes()).unwrap()
        } else {
            vec![7; 64]
        };
        format!("{input}.{}", Base64UrlUnpadded::encode_string(&sig))
    };
    let raw_deflate = |bytes: &[u8]| {
        use std::io::Write as _;
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    };
    let header = format!(r#"{{"zip":"DEF","alg":"ES256","kid":"{kid}"}}"#);
    let bomb = raw_deflate(&vec![b' '; 16 << 20]);
    let seal = data("icao/ICAOJPQR1Contents.txt");
    let seal = seal.trim();
    let cases: Vec<(&str, String, ErrorKind)> = vec![
        ("shc: text beyond the cap", format!("shc:/{}", "56".repeat(32 * 1024)), ErrorKind::Malformed),
        ("shc: odd digits", "shc:/567".into(), ErrorKind::Malformed),
        ("shc: a pair above 77", "shc:/5699".into(), ErrorKind::Malformed),
        ("shc: seventeen chunks", (1..=17).map(|i| format!("shc:/{i}/17/56 ")).collect(), ErrorKind::Malformed),
        ("shc: one chunk of two", "shc:/1/2/5676".into(), ErrorKind::Unsupported),
        ("shc: four jws parts", numeric("a.b.c.d"), ErrorKind::Malformed),
        ("shc: header not json", numeric(&jws_of("{", b"x", false)), ErrorKind::Malformed),
        ("shc: alg none", numeric(&jws_of(r#"{"zip":"DEF","alg":"none","kid":"k"}"#, b"x", false)), ErrorKind::Unsupported),
        ("shc: critical header", numeric(&jws_of(&header.replace("}", r#","crit":["b64"]}"#), b"x", false)), ErrorKind::Unsupported),
        ("shc: unknown kid", numeric(&jws_of(r#"{"zip":"DEF","alg":"ES256","kid":"nobody"}"#, b"x", false)), ErrorKind::Untrusted),
        ("shc: 16 MiB bomb, unsigned (never inflated)", numeric(&jws_of(&header, &bomb, false)), ErrorKind::BadSignature),
        ("shc: 16 MiB bomb, signed (stops at the cap)", numeric(&jws_of(&header, &bomb, true)), ErrorKind::Malformed),
        ("shc: signed payload not json", numeric(&jws_of(&header, &raw_deflate(b"{\"iss\":"), true)), ErrorKind::Malformed),
        ("shc: signed payload with duplicate names", numeric(&jws_of(&header, &raw_deflate(b"{\"a\":1,\"a\":1}"), true)), ErrorKind::Malformed),
        // Issue 22.14: an issuer that is not an https URL without a
        // trailing /, and a header that changes what is signed.
        ("shc: signed, iss over http", numeric(&jws_of(&header, &raw_deflate(br#"{"iss":"http://spec.smarthealth.cards/examples/issuer","nbf":1,"vc":{}}"#), true)), ErrorKind::Malformed),
        ("shc: signed, iss with a trailing /", numeric(&jws_of(&header, &raw_deflate(br#"{"iss":"https://spec.smarthealth.cards/examples/issuer/","nbf":1,"vc":{}}"#), true)), ErrorKind::Malformed),
        ("shc: signed, empty iss", numeric(&jws_of(&header, &raw_deflate(br#"{"iss":"","nbf":1,"vc":{}}"#), true)), ErrorKind::Malformed),
        ("shc: signed, iss https:// alone", numeric(&jws_of(&header, &raw_deflate(br#"{"iss":"https://","nbf":1,"vc":{}}"#), true)), ErrorKind::Malformed),
        ("shc: a b64 false header", numeric(&jws_of(&format!(r#"{{"zip":"DEF","alg":"ES256","kid":"{kid}","b64":false}}"#), &raw_deflate(b"{}"), true)), ErrorKind::Malformed),
        ("shc: signed payload without a patient", numeric(&jws_of(&header, &raw_deflate(br#"{"iss":"https://x","nbf":1,"vc":{"type":["https://smarthealth.cards#health-card"],"credentialSubject":{"fhirVersion":"4.0.1","fhirBundle":{"entry":[]}}}}"#), true)), ErrorKind::Malformed),
        ("seal: beyond the cap", format!("{{\"a\":\"{}\"}}", "x".repeat(16 * 1024)), ErrorKind::Malformed),
        ("seal: nested 8 000 deep", format!("{}{}", "{\"a\":[".repeat(2000), "]}".repeat(2000)), ErrorKind::Malformed),
        ("seal: 2 000 equal member names", format!("{{{}\"z\":1}}", "\"a\":1,".repeat(2000)), ErrorKind::Malformed),
        ("seal: a number out of range", seal.replacen("\"v\":1", "\"v\":1e400", 1), ErrorKind::Malformed),
        ("seal: a lone surrogate", seal.replacen("NIHON", "\\ud800NIHON", 1), ErrorKind::Malformed),
        ("seal: a member beside data and sig", seal.replacen("{\"data\"", "{\"x\":1,\"data\"", 1), ErrorKind::Malformed),
        ("seal: cer beyond 4 KiB", seal.replacen("\"cer\":\"", &format!("\"cer\":\"{}", "A".repeat(6000)), 1), ErrorKind::Malformed),
        ("seal: cer not a certificate", seal.replacen("\"cer\":\"", "\"cer\":\"AAAA", 1), ErrorKind::Malformed),
        ("seal: sigvl of 63 bytes", with_sigvl(seal, &"A".repeat(84)), ErrorKind::BadSignature),
        ("seal: an unsigned member beside the signature", seal.replacen("\"sigvl\":", "\"note\":\"x\",\"sigvl\":", 1), ErrorKind::Malformed),
        ("seal: unknown issuing country", seal.replacen("\"is\":\"JPN\"", "\"is\":\"XXX\"", 1), ErrorKind::Malformed),
    ];
    for (name, text, kind) in &cases {
        let (r, peak) = measured(|| verifier.verify(text, now()));
        let e = r.err().unwrap_or_else(|| panic!("{name}: accepted"));
        assert_eq!(e.kind(), *kind, "{name}: {e}");
        let cap = if name.contains("beyond the cap") {
            4 * ALLOC_CAP
        } else {
            ALLOC_CAP
        };
        assert!(peak <= cap, "{name}: peak {peak} bytes");
    }
    // The signed bomb was refused for its size.
    let signed_bomb = numeric(&jws_of(&header, &bomb, true));
    assert_eq!(
        verifier.verify(&signed_bomb, now()).unwrap_err(),
        healthpass::Error::InflatedTooLarge {
            max: healthpass::formats::shc::MAX_PAYLOAD_LEN
        }
    );
}

/// The seal with its `sigvl` value replaced.
#[cfg(all(feature = "shc", feature = "icao"))]
fn with_sigvl(seal: &str, sigvl: &str) -> String {
    let start = seal.find("\"sigvl\":\"").expect("a sigvl") + "\"sigvl\":\"".len();
    let len = seal[start..].find('"').expect("the sigvl's end");
    format!("{}{sigvl}{}", &seal[..start], &seal[start + len..])
}
