/// <summary>Line charts written as PNG files, with no dependency beyond the base library: a raster, straight lines,
/// and the PNG encoder (RGB, 8 bits, zlib-compressed scanlines). Charts carry no text; their captions, axes ranges
/// and legends are written beside them in <c>docs/analysis.md</c>.</summary>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Analysis.Plot

open System
open System.IO

/// An RGB colour.
type Colour = { R: byte; G: byte; B: byte }

let black = { R = 0uy; G = 0uy; B = 0uy }
let grey = { R = 200uy; G = 200uy; B = 200uy }
let red = { R = 214uy; G = 39uy; B = 40uy }
/// Series colours, in legend order: blue, orange, green, purple, brown, pink, olive, cyan.
let series =
    [| { R = 31uy; G = 119uy; B = 180uy }; { R = 255uy; G = 127uy; B = 14uy }; { R = 44uy; G = 160uy; B = 44uy }; { R = 148uy; G = 103uy; B = 189uy }
       { R = 140uy; G = 86uy; B = 75uy }; { R = 227uy; G = 119uy; B = 194uy }; { R = 188uy; G = 189uy; B = 34uy }; { R = 23uy; G = 190uy; B = 207uy } |]

/// The names of <see cref="series"/>' colours, for legends printed beside a chart.
let seriesNames = [| "blue"; "orange"; "green"; "purple"; "brown"; "pink"; "olive"; "cyan" |]

let private crcTable =
    Array.init 256 (fun n ->
        let mutable c = uint32 n
        for _ in 1..8 do
            c <- if c &&& 1u <> 0u then 0xEDB88320u ^^^ (c >>> 1) else c >>> 1
        c)

/// CRC-32 as PNG chunks use it (ISO 3309).
let crc32 (bytes: byte[]) : uint32 =
    let mutable c = 0xFFFFFFFFu
    for b in bytes do
        c <- crcTable[int ((c ^^^ uint32 b) &&& 0xFFu)] ^^^ (c >>> 8)
    c ^^^ 0xFFFFFFFFu

let private bigEndian (value: uint32) = [| byte (value >>> 24); byte (value >>> 16); byte (value >>> 8); byte value |]

/// <summary>Encodes width × height RGB pixels (row-major, 3 bytes each) as a PNG file.</summary>
let encodePng (width: int) (height: int) (rgb: byte[]) : byte[] =
    if rgb.Length <> width * height * 3 then
        invalidArg (nameof rgb) $"expected {width * height * 3} bytes for {width}x{height} RGB, got {rgb.Length}"
    use output = new MemoryStream()
    let chunk (kind: string) (data: byte[]) =
        let typed = Array.append (Text.Encoding.ASCII.GetBytes kind) data
        output.Write(bigEndian (uint32 data.Length))
        output.Write typed
        output.Write(bigEndian (crc32 typed))
    output.Write [| 137uy; 80uy; 78uy; 71uy; 13uy; 10uy; 26uy; 10uy |]
    // IHDR: width, height, bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace.
    chunk "IHDR" (Array.concat [ bigEndian (uint32 width); bigEndian (uint32 height); [| 8uy; 2uy; 0uy; 0uy; 0uy |] ])
    let compressed =
        use buffer = new MemoryStream()
        (use zlib = new Compression.ZLibStream(buffer, Compression.CompressionLevel.Optimal)
         for y in 0 .. height - 1 do
             zlib.WriteByte 0uy // filter type None
             zlib.Write(rgb, y * width * 3, width * 3))
        buffer.ToArray()
    chunk "IDAT" compressed
    chunk "IEND" [||]
    output.ToArray()

/// A line chart: series of (x, y) points drawn in data coordinates inside the given ranges.
type Chart =
    { Width: int
      Height: int
      XRange: float * float
      YRange: float * float
      /// Grid line spacing in data units, on both axes.
      GridStep: float * float
      Series: (float * float)[] list
      /// Horizontal reference lines (drawn red), e.g. the stake that must be kept.
      ReferenceLevels: float list }

/// <summary>Renders the chart to RGB pixels: white background, grey grid, black frame, one coloured polyline per
/// series (3 pixels wide) with a dot at each point, red reference lines.</summary>
let render (chart: Chart) : byte[] =
    let w, h = chart.Width, chart.Height
    let pixels = Array.create (w * h * 3) 255uy
    let margin = 20
    let (x0, x1), (y0, y1) = chart.XRange, chart.YRange
    let px x = float margin + (x - x0) / (x1 - x0) * float (w - 2 * margin - 1)
    let py y = float (h - margin - 1) - (y - y0) / (y1 - y0) * float (h - 2 * margin - 1)
    let set (x: int) (y: int) (c: Colour) =
        if x >= 0 && x < w && y >= 0 && y < h then
            let i = (y * w + x) * 3
            pixels[i] <- c.R
            pixels[i + 1] <- c.G
            pixels[i + 2] <- c.B
    let line (ax: float, ay: float) (bx: float, by: float) (thickness: int) (c: Colour) =
        let steps = int (ceil (max (abs (bx - ax)) (abs (by - ay)))) + 1
        for s in 0..steps do
            let t = float s / float steps
            let x, y = int (round (ax + t * (bx - ax))), int (round (ay + t * (by - ay)))
            for dx in -(thickness / 2) .. thickness / 2 do
                for dy in -(thickness / 2) .. thickness / 2 do
                    set (x + dx) (y + dy) c
    let gx, gy = chart.GridStep
    let mutable x = x0
    while x <= x1 + 1e-9 do
        line (px x, py y0) (px x, py y1) 1 grey
        x <- x + gx
    let mutable y = y0
    while y <= y1 + 1e-9 do
        line (px x0, py y) (px x1, py y) 1 grey
        y <- y + gy
    for level in chart.ReferenceLevels do
        line (px x0, py level) (px x1, py level) 1 red
    line (px x0, py y0) (px x1, py y0) 1 black
    line (px x0, py y1) (px x1, py y1) 1 black
    line (px x0, py y0) (px x0, py y1) 1 black
    line (px x1, py y0) (px x1, py y1) 1 black
    chart.Series
    |> List.iteri (fun k points ->
        let colour = series[k % series.Length]
        for i in 1 .. points.Length - 1 do
            let (ax, ay), (bx, by) = points[i - 1], points[i]
            line (px ax, py ay) (px bx, py by) 3 colour
        for (x, y) in points do
            line (px x - 3.0, py y) (px x + 3.0, py y) 5 colour)
    pixels

/// Renders the chart and writes it as a PNG file.
let writePng (path: string) (chart: Chart) : unit =
    File.WriteAllBytes(path, encodePng chart.Width chart.Height (render chart))
