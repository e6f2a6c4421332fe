// The fake camera's picture: the QR code in a written Y4M file reads back with jsqr, the decoder
// the gate page falls back to. No browser needed.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import jsqr from "jsqr";

import { lumaToRgba, qrY4m, readY4mLuma, writeQrY4m } from "./support/y4m.js";

// jsqr is a CommonJS (UMD) module whose typings declare `export default`; under Node ESM the
// default import is module.exports, which carries the function as `.default` too.
const jsQR = jsqr.default;

function decode(file: Uint8Array, index = 0) {
  const frame = readY4mLuma(file, index);
  return jsQR(lumaToRgba(frame), frame.width, frame.height)?.data;
}

describe("e2e support: Y4M fake camera file", function () {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "chainpass-y4m-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("writes a 640x480 C420jpeg file at 10 fps whose first frame decodes to the text", function () {
    const path = writeQrY4m(join(dir, "hello.y4m"), "hello, gate 7");
    const file = readFileSync(path);
    expect(file.subarray(0, file.indexOf(0x0a)).toString()).to.equal("YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg");
    const header = file.indexOf(0x0a) + 1;
    expect(statSync(path).size).to.equal(header + 5 * ("FRAME\n".length + 640 * 480 * 1.5));
    expect(decode(file)).to.equal("hello, gate 7");
  });

  it("shows the same code in every frame", function () {
    const file = qrY4m("every frame", { frames: 3 });
    expect([0, 1, 2].map((i) => decode(file, i))).to.deep.equal(["every frame", "every frame", "every frame"]);
  });

  it("keeps a pass-sized payload readable", function () {
    // A ticket pass is a few hundred base45 characters (lib/pass); a long payload makes a dense code.
    const text = "CP1:" + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".repeat(8);
    expect(decode(qrY4m(text, { frames: 1 }))).to.equal(text);
  });

  it("honours the frame size", function () {
    const file = qrY4m("wide", { width: 1280, height: 720, frames: 1 });
    expect(readY4mLuma(file).width).to.equal(1280);
    expect(decode(file)).to.equal("wide");
  });

  it("refuses a code that cannot fit the frame", function () {
    expect(() => qrY4m("x".repeat(1500), { width: 160, height: 120 })).to.throw(/does not fit/);
  });
});
