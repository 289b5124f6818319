//! An in-memory RGB drawing backend. The drawing code of every canvas view is
//! checked with it pixel by pixel natively, and the corpus matrix draws with it
//! in the page too: thousands of cells become one `putImageData` instead of
//! thousands of canvas calls, which is what keeps a slider drag within a frame.

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, DrawingBackend, DrawingErrorKind,
};

/// `width × height` opaque RGBA pixels, row-major, starting white: already
/// the bytes `ImageData` takes, so a frame is not copied to be shown.
#[derive(Clone, Debug, PartialEq)]
pub struct PixelBuffer {
    pub width: u32,
    pub height: u32,
    rgba: Vec<[u8; 4]>,
}

impl PixelBuffer {
    pub fn new(width: u32, height: u32) -> Self {
        PixelBuffer {
            width,
            height,
            rgba: vec![[255; 4]; (width * height) as usize],
        }
    }

    pub fn at(&self, x: u32, y: u32) -> [u8; 3] {
        rgb(self.rgba[(y * self.width + x) as usize])
    }

    /// Every pixel's colour, row by row.
    pub fn colours(&self) -> impl Iterator<Item = [u8; 3]> + '_ {
        self.rgba.iter().map(|&p| rgb(p))
    }

    /// The pixels as RGBA bytes: what `ImageData` takes.
    pub fn rgba_bytes(&self) -> &[u8] {
        self.rgba.as_flattened()
    }

    /// Fills the half-open pixel box `[x0, x1) × [y0, y1)`, clipped.
    fn fill_box(&mut self, (x0, y0): (i32, i32), (x1, y1): (i32, i32), color: BackendColor) {
        let clip = |v: i32, max: u32| v.clamp(0, max as i32) as usize;
        let (x0, x1, y0, y1) = (
            clip(x0, self.width),
            clip(x1, self.width),
            clip(y0, self.height),
            clip(y1, self.height),
        );
        let a = color.alpha.clamp(0.0, 1.0);
        if a <= 0.0 || x0 >= x1 {
            return;
        }
        let paint = [color.rgb.0, color.rgb.1, color.rgb.2, 255];
        for y in y0..y1 {
            let row = &mut self.rgba[y * self.width as usize..][x0..x1];
            if a >= 1.0 {
                row.fill(paint);
            } else {
                for pixel in row {
                    *pixel = blend(*pixel, paint, a);
                }
            }
        }
    }
}

fn rgb([r, g, b, _]: [u8; 4]) -> [u8; 3] {
    [r, g, b]
}

fn blend(under: [u8; 4], over: [u8; 4], a: f64) -> [u8; 4] {
    let mix = |u: u8, o: u8| (f64::from(u) * (1.0 - a) + f64::from(o) * a).round() as u8;
    [
        mix(under[0], over[0]),
        mix(under[1], over[1]),
        mix(under[2], over[2]),
        255,
    ]
}

impl DrawingBackend for &mut PixelBuffer {
    type ErrorType = std::convert::Infallible;

    fn get_size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        (x, y): BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if x < 0 || y < 0 || x >= self.width as i32 || y >= self.height as i32 || color.alpha <= 0.0
        {
            return Ok(());
        }
        let pixel = &mut self.rgba[(y as u32 * self.width + x as u32) as usize];
        *pixel = blend(
            *pixel,
            [color.rgb.0, color.rgb.1, color.rgb.2, 255],
            color.alpha.min(1.0),
        );
        Ok(())
    }

    /// Rectangles are most of what the views draw: filled row by row, and
    /// outlined as four filled bands of the stroke width (inclusive corners,
    /// like plotters' own rectangles).
    fn draw_rect<S: BackendStyle>(
        &mut self,
        ul: BackendCoord,
        br: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        let (x0, y0, x1, y1) = (
            ul.0.min(br.0),
            ul.1.min(br.1),
            ul.0.max(br.0) + 1,
            ul.1.max(br.1) + 1,
        );
        if fill {
            self.fill_box((x0, y0), (x1, y1), color);
            return Ok(());
        }
        let w = style.stroke_width().max(1) as i32;
        let (lo, hi) = (w / 2, w - w / 2);
        self.fill_box((x0 - lo, y0 - lo), (x1 + lo, y0 + hi), color);
        self.fill_box((x0 - lo, y1 - hi), (x1 + lo, y1 + lo), color);
        self.fill_box((x0 - lo, y0 + hi), (x0 + hi, y1 - hi), color);
        self.fill_box((x1 - hi, y0 + hi), (x1 + lo, y1 - hi), color);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
