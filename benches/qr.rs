//! Reading a code from a camera frame: time per 1280×720 luminance frame
//! with the demo pass's code in it and without a code (grey clutter), and
//! the RGBA path a canvas gives. The same two frames are written to
//! `target/qr-frames/` so that `benches/zxing_frames.py` times zxing-cpp on
//! exactly these pixels in the same run:
//!
//! ```sh
//! cargo bench --features qr --bench qr && python3 benches/zxing_frames.py
//! ```

use criterion::{criterion_group, criterion_main, Criterion};
use healthpass::qr;

const W: usize = 1280;
const H: usize = 720;

/// A cluttered grey frame, with the code of `text` at (350, 70) if given.
fn frame(text: Option<&str>) -> Vec<u8> {
    let mut f: Vec<u8> = (0..W * H).map(|i| 120 + ((i * 7919) % 23) as u8).collect();
    if let Some(text) = text {
        let png = qr::to_png(text).unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let (cw, ch) = (info.width as usize, info.height as usize);
        for y in 0..ch.min(H - 70) {
            for x in 0..cw.min(W - 350) {
                f[(70 + y) * W + 350 + x] = buf[y * info.line_size + x];
            }
        }
    }
    f
}

fn bench(c: &mut Criterion) {
    let pass = include_str!("../demo/valid.txt").trim();
    let with = frame(Some(pass));
    let without = frame(None);
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/qr-frames");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("with-code-1280x720.y"), &with).unwrap();
    std::fs::write(out.join("without-code-1280x720.y"), &without).unwrap();
    assert_eq!(qr::decode_luma(&with, W, H, W).unwrap(), pass);
    assert!(qr::decode_luma(&without, W, H, W).is_err());
    let rgba: Vec<u8> = with.iter().flat_map(|&y| [y, y, y, 255]).collect();

    let mut g = c.benchmark_group("qr frame 1280x720");
    g.bench_function("luma, with a code", |b| {
        b.iter(|| qr::decode_luma(&with, W, H, W).unwrap())
    });
    g.bench_function("luma, without a code (and inverted)", |b| {
        b.iter(|| qr::decode_luma(&without, W, H, W).unwrap_err())
    });
    g.bench_function("rgba, with a code", |b| {
        b.iter(|| qr::decode_rgba(&rgba, W, H, 4 * W).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
