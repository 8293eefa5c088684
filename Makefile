# Every target is a one-liner; the work lives in scripts/.
.PHONY: deps build run test bench lint release leak-check clean

deps:
	@scripts/install-deps.sh

build: deps
	swift build -c release

run: build
	.build/release/loadgen --profile profiles/ramp.yaml

test: deps
	swift test -c release -Xswiftc -enable-testing --disable-swift-testing

bench: deps
	scripts/bench.sh

lint:
	scripts/lint.sh

release: deps
	scripts/release.sh

clean:
	rm -rf .build

leak-check:
	scripts/leak-check.sh
