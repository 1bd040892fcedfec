package demo

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"time"

	"hotline"
)

// sitePhoto draws a stand-in for a photo taken on site (现场照片): a sky,
// a street and a building, in colours that differ by seed — enough for a
// thumbnail to show that the reply came with a picture.
func sitePhoto(seed int64) []byte {
	const w, h = 480, 320
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	tint := uint8(seed * 37 % 120)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{135, 190 - tint/3, 235, 255} // sky
			switch {
			case y > h*2/3:
				c = color.RGBA{90 + tint/2, 90 + tint/2, 95, 255} // street
			case x > w/4 && x < w*3/4 && y > h/4:
				c = color.RGBA{180 - tint, 140, 110 + tint/2, 255} // building
				if (x/24+y/24)%3 == 0 {
					c = color.RGBA{250, 240, 180, 255} // windows
				}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// attachPhoto attaches a site photo to the story's ticket as who.
func (s *story) attachPhoto(ctx context.Context, who hotline.Actor, name string) error {
	if s.done {
		return nil
	}
	s.c.db.Now = func() time.Time { return s.now }
	_, err := s.c.db.AddTicketAttachment(ctx, who, s.t.ID, name, sitePhoto(s.t.ID))
	return err
}
