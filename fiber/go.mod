module github.com/corskit/corskit/fiber

go 1.25.0

replace github.com/corskit/corskit => ..

require github.com/corskit/corskit v0.0.0-00010101000000-000000000000

require (
	github.com/gofiber/fiber/v2 v2.40.0
	github.com/valyala/fasthttp v1.41.0
)

require (
	github.com/andybalholm/brotli v1.0.4 // indirect
	github.com/hashicorp/golang-lru/v2 v2.0.7 // indirect
	github.com/klauspost/compress v1.15.9 // indirect
	github.com/mattn/go-colorable v0.1.13 // indirect
	github.com/mattn/go-isatty v0.0.16 // indirect
	github.com/mattn/go-runewidth v0.0.14 // indirect
	github.com/rivo/uniseg v0.2.0 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	github.com/valyala/tcplisten v1.0.0 // indirect
	golang.org/x/net v0.58.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
)
