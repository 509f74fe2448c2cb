//! Camera frames: the QR codes of a frame of 8-bit luminance (a phone or
//! turnstile camera's Y plane) or RGBA, with stride, read without an image
//! file in between. The texts come out in an `hp_qr_codes` handle.

use crate::boundary::{drop_raw, guard, into_raw, HpStr};
use crate::status::{status_of, HpStatus};

/// The texts of the QR codes found in one frame (opaque).
pub struct HpQrCodes {
    texts: Vec<String>,
}

fn decode(
    pixels: &[u8],
    width: u32,
    height: u32,
    stride: usize,
    rgba: bool,
    out: crate::boundary::Out<*mut HpQrCodes>,
) -> HpStatus {
    let (w, h) = (width as usize, height as usize);
    let codes = if rgba {
        healthpass::qr::decode_rgba_all(pixels, w, h, stride)
    } else {
        healthpass::qr::decode_luma_all(pixels, w, h, stride)
    };
    match codes {
        Ok(texts) => {
            out.set(into_raw(HpQrCodes { texts }));
            HpStatus::Ok
        }
        Err(e) => status_of(e.kind()),
    }
}

/// Reads every QR code (at most 8, each text once) of a frame of 8-bit
/// luminance: `width` × `height` pixels (each at most 4096), rows `stride`
/// bytes apart, `pixels_len` bytes in all; the codes anywhere in the frame,
/// dark on light or light on dark. `HP_STATUS_MALFORMED` when the frame
/// holds no code that decodes to text, or its sizes do not fit its buffer
/// or the bounds; the frame is not kept.
///
/// # Safety
/// `pixels` must point to `pixels_len` readable bytes; `out` must be valid
/// for a write of a pointer.
#[no_mangle]
pub unsafe extern "C" fn hp_decode_qr_luma(
    pixels: *const u8,
    pixels_len: usize,
    width: u32,
    height: u32,
    stride: usize,
    out: *mut *mut HpQrCodes,
) -> HpStatus {
    guard(|| {
        let pixels = arg_bytes!(pixels, pixels_len);
        let out = arg_out!(out);
        decode(pixels, width, height, stride, false, out)
    })
}

/// As `hp_decode_qr_luma`, for an RGBA frame (4 bytes a pixel, `stride`
/// bytes a row; alpha composited onto white).
///
/// # Safety
/// As `hp_decode_qr_luma`.
#[no_mangle]
pub unsafe extern "C" fn hp_decode_qr_rgba(
    pixels: *const u8,
    pixels_len: usize,
    width: u32,
    height: u32,
    stride: usize,
    out: *mut *mut HpQrCodes,
) -> HpStatus {
    guard(|| {
        let pixels = arg_bytes!(pixels, pixels_len);
        let out = arg_out!(out);
        decode(pixels, width, height, stride, true, out)
    })
}

/// How many texts were read (0 for NULL).
///
/// # Safety
/// `codes` must be NULL or come from `hp_decode_qr_luma`/`_rgba`.
#[no_mangle]
pub unsafe extern "C" fn hp_qr_codes_count(codes: *const HpQrCodes) -> usize {
    // SAFETY: the caller's promise.
    crate::boundary::guard_or(0, || unsafe { codes.as_ref() }.map_or(0, |c| c.texts.len()))
}

/// The `index`th text (from 0), borrowed from `codes` (valid until it is
/// freed); `HP_STATUS_NOT_AVAILABLE` past the last.
///
/// # Safety
/// `codes` must come from `hp_decode_qr_luma`/`_rgba`; `out` must be valid
/// for a write.
#[no_mangle]
pub unsafe extern "C" fn hp_qr_codes_get(
    codes: *const HpQrCodes,
    index: usize,
    out: *mut HpStr,
) -> HpStatus {
    guard(|| {
        let codes = arg_ref!(codes);
        let out = arg_out!(out);
        match codes.texts.get(index) {
            Some(text) => {
                out.set(HpStr::borrowed(text));
                HpStatus::Ok
            }
            None => HpStatus::NotAvailable,
        }
    })
}

/// Frees the texts (NULL is fine).
///
/// # Safety
/// `codes` must be NULL or come from `hp_decode_qr_luma`/`_rgba`, freed once.
#[no_mangle]
pub unsafe extern "C" fn hp_qr_codes_free(codes: *mut HpQrCodes) {
    // SAFETY: the caller's promise.
    unsafe { drop_raw(codes) }
}
