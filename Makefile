# Every target is a one-liner; the work lives in scripts/.
.PHONY: deps build run test bench bench-report bench-fidelity lint release leak-check clean smoke-live

deps:
	@scripts/install-deps.sh

build: deps
	swift build -c release

run: build
	.build/release/loadgen --profile profiles/ramp.yaml

test: deps
	@scripts/install-py-tools.sh --if-missing || echo "make test: no Python tools from PyPI (offline?): the manifest and hdrh checks will skip" >&2
	swift test -c release -Xswiftc -enable-testing --disable-swift-testing

bench: deps
	scripts/bench.sh

bench-report: deps
	scripts/bench-report.sh

bench-fidelity: deps
	scripts/bench-fidelity.sh

lint:
	scripts/lint.sh

release: deps
	scripts/release.sh

clean:
	rm -rf .build

leak-check:
	scripts/leak-check.sh

# Real requests to a real provider with your key: make smoke-live PROVIDER=openai [YES=1]. Never in CI.
smoke-live: build
	scripts/smoke-live.sh $(PROVIDER) $(if $(YES),--yes)
