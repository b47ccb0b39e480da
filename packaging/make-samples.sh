#!/usr/bin/env bash
# Regenerates resources/samples/: small media the project makes itself (no third-party content),
# chosen so the first run shows every kind of file and every kind of verdict.
set -euo pipefail
cd "$(dirname "$0")/../resources/samples"
rm -f ./*.jpg ./*.heic ./*.mp4 ./*.mov ./*.png
ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
ex() { exiftool -q -overwrite_original "$@"; }

# A detailed, sharp scene: a sky gradient over a Mandelbrot "coastline", 1024x768.
ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi -i "mandelbrot=size=1024x468:start_scale=0.9:end_pts=1" \
  -frames:v 1 -update 1 fractal.png
convert -size 1024x300 gradient:'#7fb2e5'-'#e8f1fb' fractal.png -append -quality 90 IMG_0001.jpg
rm fractal.png
ex -Make=Apple -Model="iPhone 13" -DateTimeOriginal="2025:07:14 10:21:33" -OffsetTimeOriginal="+02:00" \
   -ExposureTime=0.002 -FNumber=1.6 -ISO=50 -FocalLength=5.1 -LensModel="iPhone 13 back camera 5.1mm f/1.6" \
   -GPSLatitude=46.5586 -GPSLatitudeRef=N -GPSLongitude=8.5611 -GPSLongitudeRef=E -GPSAltitude=2429 -GPSAltitudeRef#=0 IMG_0001.jpg

# Same scene in portrait, stored sideways with EXIF orientation 6, as phones do.
convert IMG_0001.jpg -strip -crop 576x768+224+0 +repage -resize 768x1024 -rotate -90 -quality 88 IMG_0002.jpg
ex -n -Orientation=6 -Make=Apple -Model="iPhone 13" -DateTimeOriginal="2025:07:14 10:22:05" IMG_0002.jpg

# A pocket shot: almost black. A shaken shot: heavily blurred.
convert -size 1024x768 plasma:'#050505'-'#101010' -quality 85 IMG_0003.jpg
ex -Make=Apple -Model="iPhone 13" -DateTimeOriginal="2025:07:14 10:25:00" IMG_0003.jpg
convert IMG_0001.jpg -strip -blur 0x18 -quality 85 IMG_0004.jpg
ex -Make=Apple -Model="iPhone 13" -DateTimeOriginal="2025:07:14 10:25:02" IMG_0004.jpg

# HEIC with EXIF and GPS (southern hemisphere).
convert IMG_0001.jpg -strip -resize 800x600 -modulate 100,140,60 sunset.jpg
ex -Make=samsung -Model="SM-S906U" -DateTimeOriginal="2025:07:15 20:41:10" \
   -GPSLatitude=33.8568 -GPSLatitudeRef=S -GPSLongitude=151.2153 -GPSLongitudeRef=E sunset.jpg
heif-enc -q 60 sunset.jpg -o IMG_0005.heic >/dev/null
rm sunset.jpg

# Two short videos: one with an Apple location tag, one accidental 1.2 s clip.
ff -f lavfi -i "mandelbrot=size=480x270:rate=30" -f lavfi -i "sine=frequency=330:sample_rate=44100" -t 4 \
   -c:v libx264 -crf 30 -pix_fmt yuv420p -c:a aac -b:a 48k -movflags +faststart+use_metadata_tags \
   -metadata com.apple.quicktime.location.ISO6709="+46.5586+008.5611+2429.000/" \
   -metadata com.apple.quicktime.make=Apple -metadata com.apple.quicktime.model="iPhone 13" \
   -metadata com.apple.quicktime.creationdate="2025-07-14T10:30:00+0200" IMG_0006.mov
ff -f lavfi -i "testsrc2=size=320x240:rate=30" -t 1.2 -c:v libx264 -crf 32 -pix_fmt yuv420p \
   -metadata creation_time="2025-07-14T08:31:00Z" IMG_0007.mp4
ls -l
