// jsQR (pure JavaScript), the scanner's last resort: only where neither the browser's
// BarcodeDetector nor the ZXing WebAssembly module (zxing.ts) can be used. Loaded with import().
import jsQR from "jsqr";

/** The QR text in a frame, if jsQR finds one (dark on light or light on dark). */
export function decodeWithJsqr(image: ImageData): string | undefined {
  return jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" })?.data || undefined;
}
