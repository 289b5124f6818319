//! An in-memory RGB drawing backend, so the drawing code of every canvas view
//! can be checked pixel by pixel natively, without a browser.

use plotters_backend::{BackendColor, BackendCoord, DrawingBackend, DrawingErrorKind};

/// `width × height` RGB pixels, row-major, starting white.
#[derive(Clone, Debug, PartialEq)]
pub struct PixelBuffer {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<[u8; 3]>,
}

impl PixelBuffer {
    pub fn new(width: u32, height: u32) -> Self {
        PixelBuffer { width, height, rgb: vec![[255; 3]; (width * height) as usize] }
    }

    pub fn at(&self, x: u32, y: u32) -> [u8; 3] {
        self.rgb[(y * self.width + x) as usize]
    }
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

    fn draw_pixel(&mut self, (x, y): BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if x < 0 || y < 0 || x >= self.width as i32 || y >= self.height as i32 || color.alpha <= 0.0 {
            return Ok(());
        }
        let pixel = &mut self.rgb[(y as u32 * self.width + x as u32) as usize];
        let a = color.alpha.min(1.0);
        for (channel, value) in pixel.iter_mut().zip([color.rgb.0, color.rgb.1, color.rgb.2]) {
            *channel = (f64::from(*channel) * (1.0 - a) + f64::from(value) * a).round() as u8;
        }
        Ok(())
    }
}
