use super::*;
use plotters::prelude::{Color, IntoDrawingArea, Rectangle, BLACK, BLUE, RED};

#[test]
fn rectangles_fill_inclusively_clip_and_outline_at_their_stroke_width() {
    let mut buffer = PixelBuffer::new(10, 10);
    {
        let area = (&mut buffer).into_drawing_area();
        area.draw(&Rectangle::new([(-5, -5), (1, 1)], RED.filled()))
            .unwrap();
        area.draw(&Rectangle::new(
            [(4, 4), (8, 8)],
            Color::stroke_width(&BLUE, 1),
        ))
        .unwrap();
        area.draw(&Rectangle::new([(0, 8), (9, 9)], BLACK.mix(0.5).filled()))
            .unwrap();
    }
    assert_eq!(
        (buffer.at(0, 0), buffer.at(1, 1), buffer.at(2, 2)),
        ([255, 0, 0], [255, 0, 0], [255; 3])
    );
    assert_eq!(
        (buffer.at(4, 4), buffer.at(8, 6), buffer.at(6, 6)),
        ([0, 0, 255], [0, 0, 255], [255; 3])
    );
    assert_eq!(buffer.at(0, 9), [128, 128, 128]);
    assert_eq!(&buffer.rgba_bytes()[..4], &[255, 0, 0, 255]);
}
