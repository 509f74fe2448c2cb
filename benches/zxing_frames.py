#!/usr/bin/env python3
"""zxing-cpp (pip install zxing-cpp) on the frames `cargo bench --bench qr`
wrote to target/qr-frames/: time per 1280x720 luminance frame, with and
without a code, read as the Python package reads (QR codes only), best of
5 runs of 50. Prints one line per frame, to set beside criterion's."""
import os, time
import zxingcpp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for name in ["with-code-1280x720.y", "without-code-1280x720.y"]:
    data = open(os.path.join(ROOT, "target/qr-frames", name), "rb").read()
    view = zxingcpp.ImageView(memoryview(data), 1280, 720, zxingcpp.ImageFormat.Lum)
    found = zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormat.QRCode)
    best = min(
        (lambda t: (time.perf_counter() - t) / 50)(
            (lambda t: [zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormat.QRCode) for _ in range(50)] and t)(time.perf_counter()))
        for _ in range(5))
    print(f"zxing-cpp {name}: {best * 1e3:.2f} ms per frame, {len(found)} code(s)")
