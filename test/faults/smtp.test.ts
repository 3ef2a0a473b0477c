import { describe, expect, it } from "vitest";
import { parseMail } from "../../bench/faults/smtp.js";

const RAW = [
  "From: farmwatch@farm.test",
  "Subject: =?UTF-8?Q?[farmwatch]_=F0=9F=94=B4_FIRING_FlamencoManagerDown?=",
  'Content-Type: multipart/alternative; boundary="--b"',
  "",
  "----b",
  "Content-Type: text/plain; charset=utf-8",
  "Content-Transfer-Encoding: quoted-printable",
  "",
  "=F0=9F=94=B4 FIRING FlamencoManagerDown",
  "",
  "- the Manager does not=",
  " answer",
  "----b",
  "Content-Type: text/html; charset=utf-8",
  "",
  "<h3>ignored</h3>",
  "----b--",
].join("\r\n");

describe("parseMail", () => {
  it("decodes an encoded-word subject", () => {
    expect(parseMail(RAW).subject).toBe(
      "[farmwatch] 🔴 FIRING FlamencoManagerDown",
    );
  });

  it("decodes the quoted-printable text part and joins soft breaks", () => {
    expect(parseMail(RAW).text).toBe(
      "🔴 FIRING FlamencoManagerDown\r\n\r\n- the Manager does not answer",
    );
  });
});
