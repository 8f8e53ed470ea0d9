#!/usr/bin/env python3
"""Generate the speech transcription fixtures: evalsets/audio-transcription/audio/*.wav and cases.jsonl.

Every clip is spoken by Debian's speech synthesizer (espeak-ng) from text held in this file,
so the ground truth is exactly the text spoken. Clips are 16 kHz mono 16-bit PCM WAV (what
speech models take), resampled from espeak-ng's 22,050 Hz by linear interpolation.

Groups (the first tag of each case): en and zh (Mandarin, espeak-ng's `cmn` voice).
espeak-ng's voice is robotic: this suite checks that audio reaches a model and that its
transcript is graded (CER/WER, as OCR is), not a model's accuracy on natural speech.

Output is deterministic for one espeak-ng version (1.51 on Debian 12).
suite.yaml is written by hand and left alone.

Requirements: apt-get install -y espeak-ng; Python 3 (standard library only).

Run from the repository root:
  python3 scripts/make-audio-fixtures.py             # writes evalsets/audio-transcription
  python3 scripts/make-audio-fixtures.py --out DIR   # writes DIR/audio, DIR/cases.jsonl
"""

import argparse
import array
import io
import json
import os
import subprocess
import wave

CASES = [
    ("en", "The meeting moves to Thursday at ten."),
    ("en", "Please send the invoice by Friday."),
    ("en", "Our order number is four two seven."),
    ("en", "The weather will be sunny and warm."),
    ("zh", "今天天气很好。"),
    ("zh", "请把发票发给我。"),
    ("zh", "会议改到星期四上午十点。"),
    ("zh", "我们明天去北京。"),
]

RATE = 16000


def speak(text, voice):
    raw = subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "--stdout", text], check=True, capture_output=True).stdout
    with wave.open(io.BytesIO(raw)) as source:
        assert source.getnchannels() == 1 and source.getsampwidth() == 2
        rate = source.getframerate()
        samples = array.array("h", source.readframes(source.getnframes()))
    count = int(len(samples) * RATE / rate)
    out = array.array("h", [0] * count)
    for i in range(count):
        position = i * rate / RATE
        j = int(position)
        fraction = position - j
        a = samples[j]
        b = samples[j + 1] if j + 1 < len(samples) else a
        out[i] = int(round(a + (b - a) * fraction))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(RATE)
        target.writeframes(out.tobytes())
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="evalsets/audio-transcription")
    args = parser.parse_args()
    os.makedirs(os.path.join(args.out, "audio"), exist_ok=True)
    lines = []
    for index, (language, text) in enumerate(CASES, start=1):
        case_id = f"asr-{index:03d}"
        path = f"audio/{case_id}.wav"
        with open(os.path.join(args.out, path), "wb") as f:
            f.write(speak(text, "en-us" if language == "en" else "cmn"))
        lines.append(json.dumps({"id": case_id, "input": {"audio": path}, "expected": {"text": text}, "tags": [language]}, ensure_ascii=False))
    with open(os.path.join(args.out, "cases.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {len(CASES)} clips to {args.out}/audio and {args.out}/cases.jsonl")


if __name__ == "__main__":
    main()
