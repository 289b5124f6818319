use super::*;
use crate::page::settings::Settings;
use crate::training::race::LrRule;
use crate::training::sweep::run::Stop;

/// About the size of the stories.
const TEXT: TextSize = TextSize {
    tokens: 160_000,
    vocab: 80,
    bytes: 160_000,
};

fn plan(largest_bs: usize, lr_factors: &[f64], target: Option<f64>) -> SweepPlan {
    SweepPlan {
        base: Settings::default(),
        lr_rule: LrRule::Same,
        largest_bs,
        lr_factors: lr_factors.to_vec(),
        max_tokens: 80_000,
        target,
    }
}

fn spawned(commands: &[SweepCommand]) -> Vec<(u32, PageSweepRun)> {
    commands
        .iter()
        .filter_map(|c| match c {
            SweepCommand::Spawn(id, run) => Some((*id, run.clone())),
            SweepCommand::Terminate(_) => None,
        })
        .collect()
}

fn result(run: &PageSweepRun, steps: Option<usize>) -> RunResult {
    RunResult::example(run.settings.bs, run.settings.lr, steps)
}

/// Steps to the target of a well-behaved text: S(b) = 100·(1 + 8/b) at the
/// best lr (the middle one), 1.5× as many at the others.
fn model_steps(run: &PageSweepRun) -> Option<usize> {
    let factor = if run.settings.lr == 0.003 { 1.0 } else { 1.5 };
    Some((100.0 * (1.0 + 8.0 / run.settings.bs as f64) * factor).round() as usize)
}

/// The page's side: the workers alive, by id, with their runs.
#[derive(Default)]
struct Workers(Vec<(u32, PageSweepRun)>);

impl Workers {
    fn carry_out(&mut self, commands: Vec<SweepCommand>) {
        for command in commands {
            match command {
                SweepCommand::Spawn(id, run) => self.0.push((id, run)),
                SweepCommand::Terminate(id) => {
                    let before = self.0.len();
                    self.0.retain(|(w, _)| *w != id);
                    assert_eq!(
                        self.0.len() + 1,
                        before,
                        "worker {id} ended once, while alive"
                    );
                }
            }
        }
    }
}

/// Finishes runs (the newest worker first) with `steps` until none is left,
/// checking the worker limit after every step; returns the most alive at once.
fn finish_all(
    sweep: &mut Sweep,
    workers: &mut Workers,
    steps: fn(&PageSweepRun) -> Option<usize>,
) -> usize {
    let mut most = workers.0.len();
    let mut now = 1_000;
    while let Some((id, run)) = workers.0.last().cloned() {
        now += 500;
        let commands = sweep.on_event(id, RaceEvent::SweepFinished(result(&run, steps(&run))), now);
        workers.carry_out(commands);
        most = most.max(workers.0.len());
        assert!(workers.0.len() <= 2, "{} workers alive", workers.0.len());
    }
    most
}

#[test]
fn the_pilot_runs_alone_and_its_last_loss_becomes_the_target() {
    let mut sweep = Sweep::new(2);
    let commands = sweep.start(plan(128, &[0.5, 1.0, 2.0], None), TEXT, 0, 0);
    let pilot = spawned(&commands);
    assert_eq!(pilot.len(), 1, "the pilot alone: {commands:?}");
    let (id, run) = &pilot[0];
    assert_eq!(
        (run.settings.bs, run.settings.lr, run.target),
        (16, 0.003, None)
    );
    assert_eq!(run.budget, 10_000, "an eighth of the budget");
    assert!(sweep
        .verdict()
        .starts_with("The pilot run is choosing the target loss"));
    sweep.on_event(
        *id,
        RaceEvent::SweepProgress {
            steps: 4,
            tokens: 4_480,
            val_loss: Some(2.9),
            ms_per_step: 20.0,
        },
        100,
    );
    assert_eq!(sweep.progress(), "pilot run: bs=16, lr=0.003, 4,480 of 10,000 tokens; its validation loss then is the target");

    let mut ended = result(run, None);
    ended.stop = Stop::Budget;
    ended.val_loss = Some(2.25);
    let commands = sweep.on_event(*id, RaceEvent::SweepFinished(ended), 200);
    assert_eq!(commands[0], SweepCommand::Terminate(*id));
    let runs = spawned(&commands);
    assert_eq!(runs.len(), 2, "then two runs, one per core");
    assert!(runs
        .iter()
        .all(|(_, r)| r.target == Some(2.25) && r.budget == 80_000 && r.settings.bs == 1));
    assert_eq!(sweep.target(), Some(2.25));
    assert_eq!(
        sweep.pilot().map(|p| (p.bs, p.tokens)),
        Some((16, 3 * 16 * 70))
    );
    assert_eq!(
        sweep.progress(),
        "run 1 of 24: bs=1, lr=0.0015 (0 updates) · run 2 of 24: bs=1, lr=0.003 (0 updates)"
    );
}

#[test]
fn a_pilot_that_diverges_ends_the_sweep_saying_why() {
    let mut sweep = Sweep::new(2);
    let pilot = spawned(&sweep.start(plan(8, &[1.0], None), TEXT, 0, 0));
    let (id, run) = &pilot[0];
    let mut ended = result(run, None);
    ended.stop = Stop::Diverged;
    ended.steps = 12;
    let commands = sweep.on_event(*id, RaceEvent::SweepFinished(ended), 10);
    assert_eq!(
        commands,
        vec![SweepCommand::Terminate(*id)],
        "no run starts"
    );
    assert!(!sweep.running());
    assert_eq!(sweep.progress(), "The pilot run (bs=4, lr=0.003), which sets the target, diverged at step 12: lower the page's lr, or type a target loss.");
}

#[test]
fn never_more_workers_than_cores_and_each_ends_with_its_run() {
    let mut sweep = Sweep::new(2);
    let mut workers = Workers::default();
    workers.carry_out(sweep.start(plan(128, &[0.5, 1.0, 2.0], Some(2.0)), TEXT, 0, 0));
    assert_eq!(workers.0.len(), 2);
    assert!(sweep.running());
    let most = finish_all(&mut sweep, &mut workers, model_steps);
    assert_eq!(most, 2, "both cores stay busy");
    assert!(!sweep.running(), "every run ended");
    assert_eq!(sweep.results().len(), 24);
    assert_eq!(
        sweep.progress(),
        "all 24 runs done: 24 reached the target, 0 did not"
    );

    let mut one_core = Sweep::new(1);
    let commands = one_core.start(plan(4, &[1.0, 2.0], Some(2.0)), TEXT, 0, 0);
    assert_eq!(spawned(&commands).len(), 1);
}

#[test]
fn the_best_lr_per_bs_is_the_reached_run_with_the_fewest_steps() {
    let mut sweep = Sweep::new(2);
    let mut workers = Workers::default();
    workers.carry_out(sweep.start(plan(8, &[0.5, 1.0, 2.0], Some(2.0)), TEXT, 0, 0));
    // bs = 8 never reaches the target; the others do best at lr 0.003.
    finish_all(&mut sweep, &mut workers, |run| {
        if run.settings.bs == 8 {
            None
        } else {
            model_steps(run)
        }
    });
    let best = sweep.best();
    assert_eq!(best.iter().map(|b| b.bs).collect::<Vec<_>>(), [1, 2, 4, 8]);
    assert_eq!(best[0].best_lr, Some(0.003));
    assert_eq!(best[0].steps, Some(900));
    assert_eq!(best[3].best_lr, None, "bs=8 reached nothing");
    let verdict = sweep.verdict();
    assert!(
        verdict.ends_with("bs=8 did not reach the target within 80,000 tokens."),
        "{verdict}"
    );
    assert!(
        !verdict.contains("best lr was the"),
        "the middle lr was best: {verdict}"
    );
}

#[test]
fn the_fit_appears_once_three_batch_sizes_reached_and_the_verdict_follows() {
    let mut sweep = Sweep::new(1);
    let mut workers = Workers::default();
    workers.carry_out(sweep.start(plan(32, &[1.0], Some(2.0)), TEXT, 0, 0));
    let mut verdicts = Vec::new();
    let mut fits = Vec::new();
    let mut now = 0;
    while let Some((id, run)) = workers.0.last().cloned() {
        now += 100;
        let commands = sweep.on_event(
            id,
            RaceEvent::SweepFinished(result(&run, model_steps(&run))),
            now,
        );
        workers.carry_out(commands);
        verdicts.push(sweep.verdict());
        fits.push(sweep.fit());
    }
    assert_eq!(
        fits.iter().map(Option::is_some).collect::<Vec<_>>(),
        [false, false, true, true, true, true]
    );
    assert!(
        verdicts[0].starts_with("So far bs=1 reached the target loss 2.000 in 900 updates"),
        "{}",
        verdicts[0]
    );
    let fit = fits[5].unwrap();
    assert!((fit.b_crit / 8.0 - 1.0).abs() < 0.02, "{fit:?}");
    assert!((fit.s_min / 100.0 - 1.0).abs() < 0.02, "{fit:?}");
    assert!(
        verdicts[5].starts_with("On this text and model, doubling bs up to ≈ 8.0 halves the updates needed; beyond it each doubling saves less and costs more tokens. bs=1 needed 900 updates"),
        "{}",
        verdicts[5]
    );
    // One lr per bs: no grid edge to warn about.
    assert!(!verdicts[5].contains("widen the grid"));
}

#[test]
fn a_best_lr_at_the_edge_of_its_grid_is_named() {
    let mut sweep = Sweep::new(2);
    let mut workers = Workers::default();
    workers.carry_out(sweep.start(plan(2, &[1.0, 2.0], Some(2.0)), TEXT, 0, 0));
    // The larger lr always wins.
    finish_all(&mut sweep, &mut workers, |run| {
        Some(if run.settings.lr > 0.004 { 50 } else { 80 })
    });
    let verdict = sweep.verdict();
    assert!(
        verdict.contains("At bs=1 and 2 the best lr was the largest tried"),
        "{verdict}"
    );
}

#[test]
fn a_silent_worker_is_declared_dead_and_the_next_run_starts() {
    let mut sweep = Sweep::new(1);
    let first = spawned(&sweep.start(plan(2, &[1.0], Some(2.0)), TEXT, 0, 0));
    let (id, _) = first[0];
    assert!(
        sweep.tick(60_000).is_empty(),
        "a worker may take long to load"
    );
    sweep.on_event(
        id,
        RaceEvent::SweepProgress {
            steps: 10,
            tokens: 700,
            val_loss: None,
            ms_per_step: 5.0,
        },
        60_000,
    );
    assert!(sweep.tick(70_000).is_empty());
    let commands = sweep.tick(80_000);
    assert_eq!(commands[0], SweepCommand::Terminate(id));
    assert_eq!(spawned(&commands).len(), 1, "the next run starts");
    match &sweep.jobs()[0].status {
        JobStatus::Failed(reason) => assert_eq!(
            reason,
            "its worker stopped answering 20 s ago (out of memory?)"
        ),
        other => panic!("{other:?}"),
    }
    // What the dead worker still says is dropped.
    let late = sweep.on_event(
        id,
        RaceEvent::SweepFinished(result(&first[0].1, Some(5))),
        80_100,
    );
    assert!(late.is_empty());
    assert!(matches!(sweep.jobs()[0].status, JobStatus::Failed(_)));
}

#[test]
fn workers_stay_within_the_memory_budget() {
    let largest = plan(8, &[1.0], Some(2.0)).run((8, 0.003), Some(2.0));
    let bytes = run_bytes(&largest.settings, TEXT);
    // Room for one worker at a time beside a stopped race.
    let held = RACE_BUDGET_BYTES - bytes * 3 / 2;
    let mut sweep = Sweep::new(2);
    let mut workers = Workers::default();
    workers.carry_out(sweep.start(plan(8, &[1.0, 2.0], Some(2.0)), TEXT, held, 0));
    assert_eq!(workers.0.len(), 1, "the second would not fit");
    assert_eq!(finish_all(&mut sweep, &mut workers, model_steps), 1);
    assert_eq!(sweep.results().len(), 8);

    // A run that does not fit even alone fails, saying why; the others train.
    let small = run_bytes(&plan(8, &[1.0], None).run((1, 0.003), None).settings, TEXT);
    let mut sweep = Sweep::new(1);
    let mut workers = Workers::default();
    workers.carry_out(sweep.start(
        plan(8, &[1.0], Some(2.0)),
        TEXT,
        RACE_BUDGET_BYTES - small,
        0,
    ));
    finish_all(&mut sweep, &mut workers, model_steps);
    let failed: Vec<&SweepJob> = sweep
        .jobs()
        .iter()
        .filter(|j| matches!(j.status, JobStatus::Failed(_)))
        .collect();
    assert!(!failed.is_empty() && failed.len() < 4, "{:?}", sweep.jobs());
    if let JobStatus::Failed(reason) = &failed[0].status {
        assert!(
            reason.starts_with("its worker would need about "),
            "{reason}"
        );
    }
}

#[test]
fn stop_ends_every_worker_and_keeps_the_results() {
    let mut sweep = Sweep::new(2);
    let mut workers = Workers::default();
    workers.carry_out(sweep.start(plan(8, &[1.0], Some(2.0)), TEXT, 0, 0));
    let (id, run) = workers.0[0].clone();
    workers.carry_out(sweep.on_event(id, RaceEvent::SweepFinished(result(&run, Some(40))), 10));
    workers.carry_out(sweep.stop(20));
    assert!(workers.0.is_empty(), "every worker ended");
    assert!(!sweep.running());
    assert_eq!(sweep.results().len(), 1);
    assert_eq!(sweep.progress(), "stopped after 1 of 4 runs");
    // A new sweep starts from scratch.
    workers.carry_out(sweep.start(plan(2, &[1.0], Some(2.0)), TEXT, 0, 30));
    assert_eq!(workers.0.len(), 2);
    assert!(sweep.results().is_empty());
}

#[test]
fn a_refused_or_crashed_run_fails_and_the_sweep_goes_on() {
    let mut sweep = Sweep::new(2);
    let mut workers = Workers::default();
    workers.carry_out(sweep.start(plan(4, &[1.0], Some(2.0)), TEXT, 0, 0));
    let ids: Vec<u32> = workers.0.iter().map(|(id, _)| *id).collect();
    workers.carry_out(sweep.on_event(ids[0], RaceEvent::Refused("bs = 1 is too small".into()), 5));
    workers.carry_out(sweep.on_event(
        ids[1],
        RaceEvent::Crashed("panicked at src/x.rs:1:2:\ncapacity overflow".into()),
        6,
    ));
    assert_eq!(workers.0.len(), 1, "bs=4 started; only 3 runs in all");
    assert_eq!(
        sweep.jobs()[0].status,
        JobStatus::Failed("bs = 1 is too small".into())
    );
    assert_eq!(
        sweep.jobs()[1].status,
        JobStatus::Failed(
            "it ran out of memory: try a smaller bs, bptt, hidden size or text".into()
        )
    );
}
