// The gate camera: the back camera into a <video>, frames decoded a few times a second with the
// browser's BarcodeDetector where it has one for QR codes (Chrome on Android and macOS), otherwise
// with the same API on ZXing-C++ in WebAssembly (zxing.ts: iOS Safari, Firefox, desktop Linux),
// loaded only then. ZXing reads blurred, tilted, dim, glared and partly covered codes that jsQR
// misses (npm run bench:web, the decode set). jsQR stays as the last resort, loaded only if the
// .wasm cannot be (an old browser without WebAssembly, a proxy that drops the file): a weaker
// decoder beats a scanner that reads nothing, and it costs the other paths no byte.
import { useCallback, useEffect, useRef, useState } from "react";

export type CameraState = "off" | "starting" | "on" | "error";
export type CameraError = "denied" | "missing" | "insecure" | "failed";
export type Decoder = "native" | "zxing" | "jsqr";

/** How often a frame is decoded: enough for a held-up phone, light on a cheap phone's CPU. */
const DECODE_INTERVAL_MS = 120;
/** Frames are scaled down to this width before jsQR (a QR code fills most of the picture). */
const MAX_DECODE_WIDTH = 800;

interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats?: () => Promise<string[]>;
}

type DecodeFrame = (video: HTMLVideoElement) => Promise<string | undefined>;

async function nativeDecoder(): Promise<DecodeFrame | undefined> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (!Detector) return undefined;
  try {
    const formats = (await Detector.getSupportedFormats?.()) ?? ["qr_code"];
    if (!formats.includes("qr_code")) return undefined;
    const detector = new Detector({ formats: ["qr_code"] });
    return async (video) => (await detector.detect(video))[0]?.rawValue;
  } catch {
    return undefined;
  }
}

async function zxingDecoder(): Promise<DecodeFrame | undefined> {
  try {
    const { loadZxingDecoder } = await import("./zxing.js");
    const decode = await loadZxingDecoder();
    return (video) => decode(video);
  } catch {
    return undefined;
  }
}

async function jsqrDecoder(): Promise<DecodeFrame> {
  const { decodeWithJsqr } = await import("./jsqr.js");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true })!;
  return async (video) => {
    const scale = Math.min(1, MAX_DECODE_WIDTH / video.videoWidth);
    const width = Math.round(video.videoWidth * scale);
    const height = Math.round(video.videoHeight * scale);
    if (!width || !height) return undefined;
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    context.drawImage(video, 0, 0, width, height);
    return decodeWithJsqr(context.getImageData(0, 0, width, height));
  };
}

/** The best decoder this browser can run: its own, else ZXing, else jsQR. */
async function pickDecoder(): Promise<{ kind: Decoder; decode: DecodeFrame }> {
  const native = await nativeDecoder();
  if (native) return { kind: "native", decode: native };
  const zxing = await zxingDecoder();
  if (zxing) return { kind: "zxing", decode: zxing };
  return { kind: "jsqr", decode: await jsqrDecoder() };
}

/**
 * The camera and its decode loop. `onText` gets every decoded text, also while a verdict is on
 * screen: the caller debounces (and so knows a code is still held in front of the camera).
 */
export function useQrCamera(onText: (text: string) => void) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<CameraState>("off");
  const [error, setError] = useState<{ kind: CameraError; message: string }>();
  const [decoder, setDecoder] = useState<Decoder>();
  const session = useRef<{ stream?: MediaStream; timer?: number; stopped: boolean }>(undefined);
  const onTextRef = useRef(onText);
  useEffect(() => {
    onTextRef.current = onText;
  }, [onText]);

  const stop = useCallback(() => {
    const current = session.current;
    session.current = undefined;
    if (current) {
      current.stopped = true;
      clearTimeout(current.timer);
      current.stream?.getTracks().forEach((track) => track.stop());
    }
    if (videoRef.current) videoRef.current.srcObject = null;
    setState("off");
  }, []);

  const start = useCallback(async () => {
    stop();
    setError(undefined);
    if (!navigator.mediaDevices?.getUserMedia) {
      setState("error");
      setError({ kind: window.isSecureContext ? "missing" : "insecure", message: "" });
      return;
    }
    const current: { stream?: MediaStream; timer?: number; stopped: boolean } = { stopped: false };
    session.current = current;
    setState("starting");
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      current.stream = stream;
      if (current.stopped) return void stream.getTracks().forEach((track) => track.stop());
      const video = videoRef.current!;
      video.srcObject = stream;
      await video.play().catch(() => undefined);
      const { kind, decode } = await pickDecoder();
      if (current.stopped) return;
      setDecoder(kind);
      setState("on");
      const tick = async () => {
        if (current.stopped) return;
        if (video.readyState >= video.HAVE_CURRENT_DATA) {
          try {
            const text = await decode(video);
            if (text && !current.stopped) onTextRef.current(text);
          } catch {
            // a frame that cannot be read: try the next one
          }
        }
        if (!current.stopped) current.timer = window.setTimeout(() => void tick(), DECODE_INTERVAL_MS);
      };
      void tick();
    } catch (e) {
      if (current.stopped) return;
      current.stream?.getTracks().forEach((track) => track.stop());
      const name = e instanceof DOMException ? e.name : "";
      const kind: CameraError =
        name === "NotAllowedError" || name === "SecurityError" ? "denied" : name === "NotFoundError" || name === "OverconstrainedError" ? "missing" : "failed";
      setError({ kind, message: e instanceof Error ? e.message : String(e) });
      setState("error");
      session.current = undefined;
    }
  }, [stop]);

  useEffect(() => stop, [stop]);

  return { videoRef, state, error, decoder, start, stop };
}

/** A short beep (and a buzz where the device can): high for admit, two low ones for refuse. */
export function signal(admit: boolean) {
  try {
    navigator.vibrate?.(admit ? 120 : [200, 80, 200]);
  } catch {
    // no vibration motor
  }
  try {
    const Context = window.AudioContext ?? (window as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Context) return;
    const audio = (signal as { context?: AudioContext }).context ?? new Context();
    (signal as { context?: AudioContext }).context = audio;
    const beeps = admit ? [{ at: 0, hz: 880 }] : [{ at: 0, hz: 220 }, { at: 0.22, hz: 220 }];
    for (const { at, hz } of beeps) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = hz;
      oscillator.type = admit ? "sine" : "square";
      gain.gain.value = 0.12;
      oscillator.connect(gain).connect(audio.destination);
      const t = audio.currentTime + at;
      oscillator.start(t);
      oscillator.stop(t + 0.16);
    }
  } catch {
    // no audio
  }
}
