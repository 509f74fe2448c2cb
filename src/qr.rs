//! QR codes (feature `qr`): a pass's text rendered as a QR code in
//! alphanumeric mode with error correction level Q (the hcert spec's
//! recommendation), as SVG or PNG; and a pass's text read back from an
//! PNG image.
//!
//! Reading is bounded: at most [`MAX_IMAGE_BYTES`] of input, images of at
//! most [`MAX_IMAGE_SIDE`] pixels a side, and at most 64 MiB for decoding;
//! anything larger is refused before it is decoded. The detector (quircs, a
//! port of quirc) keeps at most 32 finder patterns and 8 candidate codes,
//! so its work grows with the pixel count only: an image tiled with
//! thousands of finder patterns is answered in milliseconds. Images are
//! composited onto white (transparent pixels are background) and given a
//! white margin, so that codes printed edge to edge still decode.

use std::io::Cursor;

use qrcode::bits::Bits;
use qrcode::{Color, EcLevel, QrCode, Version};

use crate::Error;

/// Largest image file [`decode_image`] reads, in bytes.
pub const MAX_IMAGE_BYTES: usize = 16 * 1024 * 1024;

/// Largest image width or height [`decode_image`] decodes, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 4096;

/// Most memory the PNG decoder may use (4096² RGBA is exactly this).
const MAX_DECODE_BYTES: usize = 64 * 1024 * 1024;

/// Pixels per module in the PNG output.
const PNG_SCALE: usize = 6;

/// Light modules around the code (the quiet zone the standard requires).
const QUIET_ZONE: usize = 4;

/// The QR code of a pass's text: the smallest version that holds it in
/// alphanumeric mode at level Q.
fn encode(text: &str) -> Result<QrCode, Error> {
    if !text.bytes().all(is_alphanumeric) {
        return Err(Error::Qr("text outside the qr alphanumeric set"));
    }
    for v in 1..=40 {
        let mut bits = Bits::new(Version::Normal(v));
        // Both fail when the data does not fit this version.
        if bits.push_alphanumeric_data(text.as_bytes()).is_err()
            || bits.push_terminator(EcLevel::Q).is_err()
        {
            continue;
        }
        return QrCode::with_bits(bits, EcLevel::Q).map_err(|_| Error::Qr("cannot encode"));
    }
    Err(Error::Qr("text too long for a qr code at level q"))
}

fn is_alphanumeric(b: u8) -> bool {
    b.is_ascii_digit() || b.is_ascii_uppercase() || b" $%*+-./:".contains(&b)
}

/// Renders the text as an SVG image of a QR code (alphanumeric mode, level
/// Q, with a quiet zone).
///
/// # Errors
/// [`Error::Qr`] if the text has characters outside the QR alphanumeric
/// set (a pass's text never does) or is too long.
pub fn to_svg(text: &str) -> Result<String, Error> {
    let code = encode(text)?;
    let width = code.width();
    let side = width + 2 * QUIET_ZONE;
    let mut path = String::new();
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (i % width + QUIET_ZONE, i / width + QUIET_ZONE);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {side} {side}\" \
         width=\"{px}\" height=\"{px}\" shape-rendering=\"crispEdges\">\n\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>\n\
         <path fill=\"#000\" d=\"{path}\"/>\n</svg>\n",
        px = side * PNG_SCALE
    ))
}

/// Renders the text as a greyscale PNG of a QR code (alphanumeric mode,
/// level Q, 6 pixels per module, with a quiet zone).
///
/// # Errors
/// As [`to_svg`].
pub fn to_png(text: &str) -> Result<Vec<u8>, Error> {
    let code = encode(text)?;
    let width = code.width();
    let side = (width + 2 * QUIET_ZONE) * PNG_SCALE;
    let colors = code.to_colors();
    let mut pixels = vec![255u8; side * side];
    for (i, px) in pixels.iter_mut().enumerate() {
        let (x, y) = (i % side / PNG_SCALE, i / side / PNG_SCALE);
        let module = x
            .checked_sub(QUIET_ZONE)
            .zip(y.checked_sub(QUIET_ZONE))
            .filter(|(mx, my)| *mx < width && *my < width)
            .and_then(|(mx, my)| colors.get(my * width + mx));
        if module == Some(&Color::Dark) {
            *px = 0;
        }
    }
    let side = u32::try_from(side).map_err(|_| Error::Qr("image too large"))?;
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(&pixels))
        .map_err(|_| Error::Qr("cannot encode the png"))?;
    Ok(out)
}

/// Reads the text of the first QR code found in an image (PNG), dark on
/// light or light on dark.
///
/// # Errors
/// [`Error::Qr`] if the file is too large, not a readable PNG, larger than
/// [`MAX_IMAGE_SIDE`], holds no QR code, or the code does not decode to
/// text.
pub fn decode_image(bytes: &[u8]) -> Result<String, Error> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(Error::Qr("image file too large"));
    }
    let (w, h, luma) = decode_png_luma(bytes)?;
    first(decode_codes(w, h, &luma))
}

/// Reads the text of the first QR code in a camera frame of 8-bit
/// luminance (the Y plane a phone camera gives): `width` × `height`
/// pixels, rows `stride` bytes apart. Anywhere in the frame, dark on light
/// or light on dark; no PNG round trip.
///
/// # Errors
/// [`Error::Qr`] for a frame whose sizes do not fit its buffer or exceed
/// [`MAX_IMAGE_SIDE`], that holds no QR code, or whose codes do not decode
/// to text.
pub fn decode_luma(
    luma: &[u8],
    width: usize,
    height: usize,
    stride: usize,
) -> Result<String, Error> {
    first(decode_luma_all(luma, width, height, stride))
}

/// As [`decode_luma`], every code of the frame (at most 8, each text once,
/// in the order found): the chunks of a SMART Health Card shown side by
/// side, say.
///
/// # Errors
/// As [`decode_luma`].
pub fn decode_luma_all(
    luma: &[u8],
    width: usize,
    height: usize,
    stride: usize,
) -> Result<Vec<String>, Error> {
    let packed = pack(luma, width, height, stride, 1, |p| {
        p.first().copied().unwrap_or(255)
    })?;
    decode_codes(width, height, &packed)
}

/// Reads the text of the first QR code in an RGBA frame (what a canvas's
/// `getImageData` gives): 4 bytes a pixel, rows `stride` bytes apart;
/// alpha composited onto white. As [`decode_luma`] otherwise.
///
/// # Errors
/// As [`decode_luma`].
pub fn decode_rgba(
    rgba: &[u8],
    width: usize,
    height: usize,
    stride: usize,
) -> Result<String, Error> {
    first(decode_rgba_all(rgba, width, height, stride))
}

/// As [`decode_rgba`], every code of the frame (as [`decode_luma_all`]).
///
/// # Errors
/// As [`decode_luma`].
pub fn decode_rgba_all(
    rgba: &[u8],
    width: usize,
    height: usize,
    stride: usize,
) -> Result<Vec<String>, Error> {
    let packed = pack(rgba, width, height, stride, 4, |p| match *p {
        [r, g, b, a] => over_white(luma_of(r, g, b), a),
        _ => 255,
    })?;
    decode_codes(width, height, &packed)
}

const BAD_FRAME: Error = Error::Qr("the frame's sizes do not fit its buffer");

/// A frame's sizes against its buffer and the bounds.
fn check_frame(
    len: usize,
    width: usize,
    height: usize,
    stride: usize,
    bpp: usize,
) -> Result<(), Error> {
    let side = |n: usize| u32::try_from(n).is_ok_and(|n| n <= MAX_IMAGE_SIDE);
    if !side(width) || !side(height) {
        return Err(Error::Qr("image larger than 4096 pixels a side"));
    }
    if width == 0 || height == 0 {
        return Err(Error::Qr("no qr code found"));
    }
    let row = width.checked_mul(bpp).ok_or(BAD_FRAME)?;
    let needed = stride
        .checked_mul(height - 1)
        .and_then(|n| n.checked_add(row))
        .ok_or(BAD_FRAME)?;
    if stride < row || len < needed {
        return Err(BAD_FRAME);
    }
    Ok(())
}

/// A frame of `bpp` bytes a pixel, rows `stride` apart, checked and
/// packed into one luminance byte a pixel by `luma`.
fn pack(
    frame: &[u8],
    width: usize,
    height: usize,
    stride: usize,
    bpp: usize,
    luma: impl Fn(&[u8]) -> u8,
) -> Result<Vec<u8>, Error> {
    check_frame(frame.len(), width, height, stride, bpp)?;
    let mut packed = Vec::with_capacity(width * height);
    for y in 0..height {
        let row = frame
            .get(y * stride..y * stride + bpp * width)
            .ok_or(BAD_FRAME)?;
        packed.extend(row.chunks_exact(bpp).map(&luma));
    }
    Ok(packed)
}

/// The first text, or the error.
fn first(codes: Result<Vec<String>, Error>) -> Result<String, Error> {
    codes.and_then(|c| c.into_iter().next().ok_or(Error::Qr("no qr code found")))
}

/// Every code's text in a packed luminance image: dark on light first,
/// then, if none decodes, the image inverted (a phone in dark mode).
fn decode_codes(w: usize, h: usize, luma: &[u8]) -> Result<Vec<String>, Error> {
    let (pw, ph, mut padded) = with_margin(w, h, luma);
    let mut decoder = quircs::Quirc::default();
    let mut found = false;
    for inverted in [false, true] {
        if inverted {
            padded.iter_mut().for_each(|p| *p = 255 - *p);
        }
        let mut texts: Vec<String> = Vec::new();
        for code in decoder.identify(pw, ph, &padded).take(MAX_CODES) {
            found = true;
            let Ok(data) = code
                .map_err(|_| ())
                .and_then(|c| c.decode().map_err(|_| ()))
            else {
                continue;
            };
            if let Ok(text) = String::from_utf8(data.payload) {
                if !texts.contains(&text) {
                    texts.push(text);
                }
            }
        }
        if !texts.is_empty() {
            return Ok(texts);
        }
    }
    Err(if found {
        Error::Qr("the qr code does not decode")
    } else {
        Error::Qr("no qr code found")
    })
}

/// ITU-R BT.601 luminance, in integers.
fn luma_of(r: u8, g: u8, b: u8) -> u32 {
    (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000
}

/// `y` with alpha `a` composited onto white.
fn over_white(y: u32, a: u8) -> u8 {
    ((y * u32::from(a) + 255 * (255 - u32::from(a))) / 255) as u8
}

/// Candidate codes tried per image (the detector finds at most 8).
const MAX_CODES: usize = 8;

/// White pixels added around the image: the quiet zone some images lack.
const MARGIN: usize = 16;

/// The image with a white margin of [`MARGIN`] pixels.
fn with_margin(w: usize, h: usize, luma: &[u8]) -> (usize, usize, Vec<u8>) {
    let (pw, ph) = (w + 2 * MARGIN, h + 2 * MARGIN);
    let mut out = vec![255u8; pw * ph];
    for (src, dst) in luma
        .chunks_exact(w.max(1))
        .zip(out.chunks_exact_mut(pw).skip(MARGIN))
    {
        if let Some(d) = dst.get_mut(MARGIN..MARGIN + w) {
            d.copy_from_slice(src);
        }
    }
    (pw, ph, out)
}

/// Decodes a PNG to 8-bit luminance, one byte per pixel. The size is
/// checked from the header before any pixel is decoded.
fn decode_png_luma(bytes: &[u8]) -> Result<(usize, usize, Vec<u8>), Error> {
    let unreadable = |_| Error::Qr("not a readable png");
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: MAX_DECODE_BYTES,
        },
    );
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(unreadable)?;
    let (width, height) = (reader.info().width, reader.info().height);
    if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(Error::Qr("image larger than 4096 pixels a side"));
    }
    let size = reader
        .output_buffer_size()
        .filter(|n| *n <= MAX_DECODE_BYTES)
        .ok_or(Error::Qr("image too large to decode"))?;
    let mut buf = vec![0u8; size];
    let info = reader.next_frame(&mut buf).map_err(unreadable)?;
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err(Error::Qr("not a readable png")),
    };
    let (w, h) = (info.width as usize, info.height as usize);
    let mut luma = Vec::with_capacity(w * h);
    for row in buf.chunks(info.line_size).take(h) {
        for px in row.chunks_exact(channels).take(w) {
            luma.push(match *px {
                [g] => g,
                [g, a] => over_white(u32::from(g), a),
                [r, g, b] => luma_of(r, g, b) as u8,
                [r, g, b, a] => over_white(luma_of(r, g, b), a),
                _ => 255,
            });
        }
    }
    Ok((w, h, luma))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "HC1:NCFOXN%TSMAHN-H9L8HYQ8VH2FA46MHSD9-4TTQ CP96J$U8K8:S4E75L0J*6%FE+R9";

    #[test]
    fn png_round_trip() {
        let png = to_png(TEXT).unwrap();
        assert_eq!(decode_image(&png).unwrap(), TEXT);
    }

    #[test]
    fn svg_and_mode() {
        let svg = to_svg(TEXT).unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<path"));
        assert!(to_svg("lower case").is_err());
        assert!(to_png(&"A".repeat(5000)).is_err());
        // Level Q, smallest version: 71 alphanumerics are more than version
        // 4-Q holds (67) and fit 5-Q (87).
        let code = encode(TEXT).unwrap();
        assert_eq!(code.error_correction_level(), EcLevel::Q);
        assert_eq!(code.version(), Version::Normal(5));
    }

    /// A 1280×720 luminance frame (rows `stride` apart, grey clutter) with
    /// the codes of `texts` drawn at `at`.
    fn frame(texts: &[(&str, usize, usize)], stride: usize) -> Vec<u8> {
        let (w, h) = (1280, 720);
        let mut f: Vec<u8> = (0..stride * h).map(|i| 128 + (i % 7) as u8 * 9).collect();
        for (text, ox, oy) in texts {
            let (cw, ch, code) = decode_png_luma(&to_png(text).unwrap()).unwrap();
            for y in 0..ch {
                for x in 0..cw {
                    if ox + x < w && oy + y < h {
                        f[(oy + y) * stride + ox + x] = code[y * cw + x];
                    }
                }
            }
        }
        f
    }

    #[test]
    fn camera_frames_luma_rgba_inverted_and_several_codes() {
        let stride = 1296;
        let f = frame(&[(TEXT, 700, 300)], stride);
        assert_eq!(decode_luma(&f, 1280, 720, stride).unwrap(), TEXT);
        // Light on dark (a phone in dark mode).
        let inverted: Vec<u8> = f.iter().map(|p| 255 - p).collect();
        assert_eq!(decode_luma(&inverted, 1280, 720, stride).unwrap(), TEXT);
        // RGBA, as a canvas gives it.
        let rgba: Vec<u8> = f
            .chunks(stride)
            .flat_map(|row| row[..1280].iter().flat_map(|&y| [y, y, y, 255]))
            .collect();
        assert_eq!(decode_rgba(&rgba, 1280, 720, 1280 * 4).unwrap(), TEXT);
        // Two codes side by side: both, once each.
        let other = "HC1:A SECOND CODE BESIDE THE FIRST 0123456789";
        let two = frame(
            &[(TEXT, 40, 100), (other, 640, 100), (TEXT, 40, 400)],
            stride,
        );
        assert_eq!(
            decode_luma_all(&two, 1280, 720, stride).unwrap().len(),
            2,
            "each text once"
        );
        // Sizes that do not fit the buffer, and bounds.
        let bad = Error::Qr("the frame's sizes do not fit its buffer");
        assert_eq!(decode_luma(&f, 1280, 720, 1000).unwrap_err(), bad);
        assert_eq!(decode_luma(&f[..100], 1280, 720, stride).unwrap_err(), bad);
        assert_eq!(decode_rgba(&f, 1280, 720, usize::MAX).unwrap_err(), bad);
        assert_eq!(
            decode_luma(&f, 5000, 1, 5000).unwrap_err(),
            Error::Qr("image larger than 4096 pixels a side")
        );
        assert_eq!(
            decode_luma(&[], 0, 0, 0).unwrap_err(),
            Error::Qr("no qr code found")
        );
        let blank = vec![200u8; 640 * 480];
        assert_eq!(
            decode_luma(&blank, 640, 480, 640).unwrap_err(),
            Error::Qr("no qr code found")
        );
    }

    #[test]
    fn garbage_images() {
        assert!(decode_image(b"").is_err());
        assert!(decode_image(b"\x89PNG\r\n\x1a\nnot really").is_err());
        // A white RGB image: read (through the colour conversion), no code.
        let mut png = Vec::new();
        let mut e = png::Encoder::new(&mut png, 64, 64);
        e.set_color(png::ColorType::Rgb);
        e.set_depth(png::BitDepth::Eight);
        e.write_header()
            .unwrap()
            .write_image_data(&[255u8; 64 * 64 * 3])
            .unwrap();
        assert_eq!(
            decode_image(&png).unwrap_err(),
            Error::Qr("no qr code found")
        );
    }
}
