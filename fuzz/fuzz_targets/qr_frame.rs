//! Camera frames (feature `qr`): any pixels and any sizes, as luminance and
//! as RGBA, give texts or a typed error — never a panic, a read outside the
//! buffer or an allocation past the frame bounds.
//!
//! Input: byte 0 picks luminance or RGBA; bytes 1–2 the width, 3–4 the
//! height (each at most 4095 + 1 past the bound), 5–6 the stride's excess
//! over a row; the rest the pixels.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((head, pixels)) = data.split_at_checked(7) else {
        return;
    };
    let word = |i: usize| usize::from(u16::from_le_bytes([head[i], head[i + 1]]));
    let (width, height) = (word(1) % 4097, word(3) % 4097);
    let rgba = head[0] & 1 == 1;
    let stride = width * if rgba { 4 } else { 1 } + word(5) % 64;
    let codes = if rgba {
        healthpass::qr::decode_rgba_all(pixels, width, height, stride)
    } else {
        healthpass::qr::decode_luma_all(pixels, width, height, stride)
    };
    if let Ok(texts) = codes {
        assert!(!texts.is_empty() && texts.len() <= 8);
    }
});
