//! Reading a pass from an image (feature `qr`): any bytes give text or a
//! typed error, within the image size and allocation limits.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = healthpass::qr::decode_image(data) {
        assert!(text.len() <= 8 * 1024 || text.is_char_boundary(0));
    }
});
