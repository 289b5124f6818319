use super::*;

fn ts(row: &CellRow) -> Vec<usize> {
    row.cells.iter().map(|c| c.t).collect()
}

#[test]
fn up_to_forty_cells_are_full_size_so_lengths_compare() {
    let short = lay_out_cells(35, 100.0, 800.0);
    let full = lay_out_cells(40, 100.0, 800.0);
    assert_eq!((short.pitch, full.pitch), (20.0, 20.0));
    assert_eq!(short.cell_width, 14.0);
    assert_eq!(ts(&short), (0..35).collect::<Vec<_>>());
    assert_eq!(short.cells[3].x, 160.0);
    assert_eq!(short.right(100.0), 100.0 + 34.0 * 20.0 + 14.0);
    assert!(short.elision.is_none() && full.elision.is_none());
}

#[test]
fn a_row_splits_into_runs_of_consecutive_cells() {
    let whole = lay_out_cells(78, 0.0, 780.0);
    assert_eq!(
        whole.runs(),
        vec![CellRun {
            x: 0.0,
            first_t: 0,
            count: 78
        }]
    );
    let elided = lay_out_cells(400, 0.0, 780.0);
    let runs = elided.runs();
    assert_eq!(runs.len(), 2);
    assert_eq!((runs[0].first_t, runs[0].x), (0, 0.0));
    assert_eq!(
        runs[1].first_t + runs[1].count,
        400,
        "the last run ends with the last cell"
    );
    assert_eq!(runs[0].count + runs[1].count, elided.cells.len());
    assert_eq!(runs[1].x, elided.cells[runs[0].count].x);
    assert!(lay_out_cells(0, 0.0, 780.0).runs().is_empty());
}

#[test]
fn arrowheads_keep_their_places_as_the_lane_grows() {
    let short = arrowhead_positions(10.0, 100.0, 20.0);
    assert_eq!(short, vec![20.0, 40.0, 60.0, 80.0]);
    let long = arrowhead_positions(10.0, 150.0, 20.0);
    assert_eq!(
        &long[..4],
        &short[..],
        "the same heads, and more at the right"
    );
    assert_eq!(long.len(), 7);
    assert!(arrowhead_positions(10.0, 15.0, 20.0).is_empty());
}

#[test]
fn longer_windows_squeeze_down_to_the_minimum_pitch() {
    let row = lay_out_cells(78, 0.0, 780.0);
    assert_eq!(row.pitch, 10.0);
    assert_eq!(row.cells.len(), 78);
    assert_eq!(row.cells[77].x, 770.0);
    let tight = lay_out_cells(156, 0.0, 780.0); // exactly MIN_PITCH
    assert_eq!((tight.pitch, tight.cells.len()), (5.0, 156));
    assert!(tight.elision.is_none());
}

#[test]
fn very_long_windows_keep_both_ends_and_elide_the_middle() {
    let row = lay_out_cells(180, 0.0, 700.0);
    // (700 - 90) / 5 = 122 cells fit: 61 from the start, 61 from the end.
    assert_eq!(row.pitch, MIN_PITCH);
    assert_eq!(row.cells.len(), 122);
    assert_eq!(ts(&row)[..2], [0, 1]);
    assert_eq!(ts(&row)[60..62], [60, 119]);
    assert_eq!(*ts(&row).last().unwrap(), 179);
    let gap = row.elision.unwrap();
    assert_eq!(gap.hidden, 58);
    assert_eq!(
        row.cells.len() + gap.hidden,
        180,
        "drawn + elided = seq_len"
    );
    assert_eq!(gap.x, 305.0);
    assert_eq!(gap.x + gap.width, row.cells[61].x);
    assert_eq!(row.right(0.0), 700.0 - MIN_PITCH + row.cell_width);
}

#[test]
fn degenerate_windows_still_lay_out() {
    assert!(lay_out_cells(0, 0.0, 700.0).cells.is_empty());
    assert_eq!(lay_out_cells(0, 10.0, 700.0).right(10.0), 10.0);
    assert_eq!(ts(&lay_out_cells(1, 0.0, 700.0)), [0]);
    // Narrower than two minimum pitches: still first and last, nothing elided.
    assert_eq!(ts(&lay_out_cells(2, 0.0, 4.0)), [0, 1]);
    let tiny = lay_out_cells(50, 0.0, 60.0);
    assert_eq!(tiny.cells.len() + tiny.elision.unwrap().hidden, 50);
    assert_eq!(ts(&tiny), [0, 49]);
}

#[test]
fn shades_are_decades_below_the_step_maximum() {
    assert_eq!(normalised_shades(&[1.0, 1e3, 1e6]), [0.0, 0.5, 1.0]);
    assert_eq!(
        normalised_shades(&[1e-9, 1.0]),
        [0.0, 1.0],
        "more than six decades down is palest"
    );
    assert_eq!(normalised_shades(&[0.0, 0.0]), [0.0, 0.0]);
    assert_eq!(
        normalised_shades(&[f32::NAN, 2.0, f32::INFINITY]),
        [0.0, 1.0, 0.0]
    );
    assert!(normalised_shades(&[]).is_empty());
}

#[test]
fn shade_fill_runs_from_pale_to_dark_orange() {
    assert_eq!(shade_fill(0.0), "rgb(254,240,222)");
    assert_eq!(shade_fill(1.0), "rgb(166,54,3)");
    assert_eq!(shade_fill(0.5), "rgb(210,147,113)");
    assert_eq!(shade_fill(7.0), shade_fill(1.0));
}

#[test]
fn half_draws_are_shorter_than_three_quarters_of_bptt() {
    assert!(is_half_draw(35, 70));
    assert!(is_half_draw(52, 70)); // 52 < 52.5
    assert!(!is_half_draw(53, 70));
    assert!(!is_half_draw(78, 70));
}

#[test]
fn history_bars_mark_half_draws_and_scale_to_the_longest() {
    let chart = history_chart(&[78, 70, 74, 35], 70, 800.0, 100.0);
    let lens: Vec<_> = chart
        .bars
        .iter()
        .map(|b| (b.step, b.seq_len, b.half_draw))
        .collect();
    assert_eq!(
        lens,
        [
            (1, 78, false),
            (2, 70, false),
            (3, 74, false),
            (4, 35, true)
        ]
    );
    // Top of the scale = 78 × 1.15; a 16-unit pitch for few bars.
    let top = 78.0 * 1.15;
    assert!((chart.bars[0].height - 100.0 / 1.15).abs() < 1e-9);
    assert!((chart.bptt_y - (100.0 - 70.0 / top * 100.0)).abs() < 1e-9);
    assert_eq!((chart.bars[1].x, chart.bars[1].width), (16.0, 12.8));
    assert_eq!(chart.bars[3].y + chart.bars[3].height, 100.0);
}

#[test]
fn history_chart_keeps_the_last_two_hundred_steps() {
    let history: Vec<usize> = (1..=250).collect();
    let chart = history_chart(&history, 70, 800.0, 100.0);
    assert_eq!(chart.bars.len(), 200);
    assert_eq!((chart.bars[0].step, chart.bars[0].seq_len), (51, 51));
    assert_eq!(chart.bars[199].step, 250);
    assert_eq!(chart.bars[1].x, 4.0);
    assert!(history_chart(&[], 70, 800.0, 100.0).bars.is_empty());
}

#[test]
fn history_text_lists_the_last_thirty_values() {
    assert_eq!(
        history_text(&[78, 70, 74, 35]),
        "seq_len per step: 78, 70, 74, 35"
    );
    assert_eq!(history_text(&[]), "seq_len per step: none yet (press Step)");
    let long: Vec<usize> = (1..=40).collect();
    let text = history_text(&long);
    assert!(
        text.starts_with("seq_len per step (last 30 of 40): …, 11, 12,"),
        "{text}"
    );
    assert!(text.ends_with("39, 40"));
}
