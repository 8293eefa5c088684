#!/usr/bin/env python3
"""Writes a synthetic events.ndjson (schema 1) shaped like a real open-loop run, for benchmarking
loadreport: a header, N attempt lines (about 2 % answered 429 with rate-limit headers, 0.5 % other
errors, 5 % of the 429s retried), a dropped line now and then, and the end line.

    scripts/gen-events.py --records 1000000 --tokens 32 --out /tmp/bench-run/events.ndjson

Deterministic for a given --seed. Lines are written exactly as loadgen writes them (field order,
microseconds with one decimal)."""
import argparse
import os
import random


def micros(nanos):
    tenths = (nanos + 50) // 100
    return f"{tenths // 10}.{tenths % 10}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000, help="attempt lines (default 1,000,000)")
    parser.add_argument("--tokens", type=int, default=32, help="output tokens per successful attempt (default 32)")
    parser.add_argument("--rate", type=float, default=1000.0, help="arrivals per second (default 1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True, help="the events.ndjson to write (its folder is created)")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    duration_us = args.records / args.rate * 1e6
    with open(args.out, "w", buffering=1 << 20) as out:
        out.write('{"type":"run","schema":1,"profile":"synthetic","started_at":"2026-11-25T12:00:00Z",'
                  '"loadgen_version":"0.1.0-dev","curl_version":"libcurl/7.88.1","uv_version":"1.44.2",'
                  f'"seed":{args.seed},"command":["scripts/gen-events.py"],"mode":"open","provider":"mock",'
                  '"model":"mock-small","host":"bench","stages":[{"start_us":0.0,"duration_us":'
                  f'{duration_us:.1f},"label":"rate {args.rate:g}/s"}}]}}\n')
        interval = 1e9 / args.rate
        request = 0
        attempts = successes = dropped = 0
        last_end = 0
        parts = []
        while attempts < args.records:
            intended = int(request * interval)
            if rng.random() < 0.001:
                parts.append(f'{{"type":"dropped","intended_us":{micros(intended)}}}\n')
                dropped += 1
                request += 1
                continue
            start = intended + int(rng.expovariate(1 / 40_000))
            roll = rng.random()
            line = [f'{{"type":"attempt","request":{request},"attempt":1,"intended_us":{micros(intended)},'
                    f'"start_us":{micros(start)},"stage":0']
            if request < 64:
                line.append(f',"connect_us":{micros(start + 200_000)}')
            headers = start + 800_000 + int(rng.expovariate(1 / 200_000))
            if roll < 0.02:
                end = headers + 50_000
                retry = rng.random() < 0.05
                line.append(f',"headers_us":{micros(headers)},"first_byte_us":{micros(headers + 20_000)},'
                            f'"end_us":{micros(end)},"status":429,"error":"http_429",'
                            '"error_message":"HTTP 429: Rate limit reached for requests","tokens":0,'
                            '"ratelimit":{"requests":{"limit":60000,"remaining":0,"reset_ms":'
                            f'{rng.randint(1, 999)}}},"tokens":{{"limit":10000000,"remaining":{rng.randint(0, 900000)}}},'
                            '"retry_after_ms":1000}')
                if retry:
                    line.append(',"will_retry":true')
                line.append(',"token_offsets_us":[]}\n')
            elif roll < 0.025:
                end = start + 30_000_000_000
                line.append(f',"end_us":{micros(end)},"status":0,"error":"timeout_total",'
                            '"error_message":"Operation timed out after 30000 milliseconds with 0 bytes received",'
                            '"tokens":0,"token_offsets_us":[]}\n')
            else:
                ttft = 150_000_000 + int(rng.lognormvariate(0, 0.5) * 50_000_000)
                offsets = []
                t = ttft // 1000
                for _ in range(args.tokens):
                    offsets.append(t)
                    t += 10_000 + int(rng.expovariate(1 / 2_000))
                end = start + t * 1000 + 300_000
                first_token = start + ttft
                line.append(f',"headers_us":{micros(headers)},"first_byte_us":{micros(headers + 20_000)},'
                            f'"first_token_us":{micros(first_token)},"end_us":{micros(end)},"status":200,'
                            f'"tokens":{args.tokens},"usage_output_tokens":{args.tokens},"usage_input_tokens":'
                            f'{rng.randint(20, 400)},"cost_usd":{rng.randint(1, 999) * 1e-6!r},'
                            '"ratelimit":{"requests":{"limit":60000,"remaining":'
                            f'{rng.randint(0, 59999)},"reset_ms":{rng.randint(1, 999)}}},"tokens":{{"limit":10000000,'
                            f'"remaining":{rng.randint(0, 9_999_999)}}}}}'
                            f',"token_offsets_us":[{",".join(map(str, offsets))}]}}\n')
                successes += 1
            parts.append("".join(line))
            attempts += 1
            last_end = max(last_end, end)
            request += 1
            if len(parts) >= 10_000:
                out.write("".join(parts))
                parts.clear()
        out.write("".join(parts))
        out.write(f'{{"type":"end","attempts":{attempts},"successes":{successes},"dropped":{dropped},'
                  f'"end_us":{micros(last_end)}}}\n')


if __name__ == "__main__":
    main()
