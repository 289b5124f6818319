# ---- The sweep: steps to the target per (bs, lr) --------------------------------
def crossing(before, at, target):
    """(steps, tokens) where the smoothed loss crossed the target: linearly
    between the pass before (above it) and this one (at or below it)."""
    if before is None or not (before[2] > target and before[0] < at[0]):
        return at[0], at[1]
    share = (before[2] - target) / (before[2] - at[2])
    between = lambda a, b: min(max(math.floor(a + share * (b - a) + 0.5), a + 1), b)
    return between(before[0], at[0]), between(before[1], at[1])


def out_of_reach(passes, target, budget):
    """Whether, going on at the pace of the last half of its tokens, the run
    would need more than its budget (or it made no progress at all); judged
    only after 1/JUDGE_AFTER_SHARE of the budget. Loss curves flatten, so
    that pace is optimistic."""
    steps, tokens, loss = passes[-1]
    if tokens * JUDGE_AFTER_SHARE < budget or loss <= target:
        return False
    half = next((p for p in reversed(passes) if 2 * p[1] <= tokens), None)
    if half is None:
        return False
    progress = half[2] - loss
    if not progress > 0:
        return True
    return tokens + (loss - target) / (progress / (tokens - half[1])) > budget


def train_to_target(bs, lr, budget, target):
    """One run from the initial weights until its smoothed validation loss
    reaches the target (None: never), its budget is spent, it diverges or
    the target is out of its reach. Every validation pass reads the same
    VALIDATION_STREAMS streams, whatever the run's bs, so one target means one
    model quality at every bs."""
    run = Run(init, bs, lr, BPTT, SCHEME, True)
    chance = math.log(max(len(vocab), 2))
    smoother, passes, crossed, next_at = Smoother(VALIDATION_SMOOTHING), [], None, validate_every
    while True:
        if run.tokens >= budget:
            stop = "budget"
            break
        if run.step() is None:
            stop = "diverged"
            break
        if run.tokens < next_at:
            continue
        next_at = (run.tokens // validate_every + 1) * validate_every
        val = validation_loss(run.model, validation, VALIDATION_STREAMS, BPTT, CARRIES[SCHEME],
                              VALIDATION_TOKENS)
        if val is None:
            continue
        before = passes[-1] if passes else None
        passes.append((run.steps, run.tokens, smoother.add(val)))
        loss = passes[-1][2]
        if target is not None and loss <= target:
            crossed, stop = crossing(before, passes[-1], target), "reached"
            break
        if not math.isfinite(loss) or loss > DIVERGED_FACTOR * chance:
            stop = "diverged"                  # worse than guessing
            break
        if target is not None and out_of_reach(passes, target, budget):
            stop = "out_of_reach"
            break
    steps, tokens = crossed or (run.steps, run.tokens)
    return {"bs": bs, "lr": lr, "reached": stop == "reached", "steps": steps,
            "tokens": tokens, "stop": stop, "val_loss": passes[-1][2] if passes else None}


def pilot_target():
    """The default target: the smoothed validation loss of the run at the
    middle bs and the middle of its lrs after max_tokens / PILOT_SHARE tokens."""
    bs = BS[len(BS) // 2]
    lr = LRS[bs][len(LRS[bs]) // 2]
    run = train_to_target(bs, lr, max(1, max_tokens // PILOT_SHARE), None)
    if run["stop"] == "diverged":
        sys.exit(f"the pilot run (bs {bs}, lr {lr}) that sets the default target diverged "
                 f"at step {run['steps']}; give --target-loss, or lrs whose middle is lower")
    if run["val_loss"] is None:
        sys.exit(f"the pilot run (bs {bs}, lr {lr}) made no validation pass; "
                 "give --target-loss or a larger --max-tokens")
    return {"bs": bs, "lr": lr, "tokens": run["tokens"], "target_loss": run["val_loss"]}


def sweep_run(job):
    return train_to_target(job[0], job[1], max_tokens, target)


def report(runs):
    """Per bs the lr that reached the target in the fewest steps (the lower
    lr on a tie), and the fit of the critical batch size to those steps."""
    points = []
    for bs in sorted({r["bs"] for r in runs}):
        reached = [r for r in runs if r["bs"] == bs and r["reached"]]
        best = min(reached, key=lambda r: (r["steps"], r["lr"]), default=None)
        line(bs=bs, best_lr=best and best["lr"], steps=best and best["steps"],
             tokens=best and best["tokens"])
        if best:
            points.append((bs, best["steps"]))
    line(fit=fit_critical_batch(points))


def main():
    p = common_args(__doc__.splitlines()[0])
    p.add_argument("--target-loss", type=float, default=TARGET_LOSS,
                   help="target validation loss (default: a pilot run sets it)")
    p.add_argument("--validate-every", type=int, help="training tokens between validations "
                   "(default: max-tokens / %d)" % VALIDATIONS_PER_BUDGET)
    p.add_argument("--combine", nargs="+", metavar="FILE",
                   help="read the run lines that --runs printed (on several machines) "
                        "and print the best lr per bs and the fit")
    args = p.parse_args()
    if args.combine:
        runs = [json.loads(l) for f in args.combine for l in open(f) if '"reached"' in l]
        return report(runs)
    shared = setup(args)
    default_every = VALIDATE_EVERY_TOKENS if args.max_tokens == MAX_TOKENS else None
    shared.update(init=initial_state(args.init), max_tokens=args.max_tokens, target=None,
                  validate_every=args.validate_every or default_every
                  or max(1, args.max_tokens // VALIDATIONS_PER_BUDGET))
    use(shared)
    pilot = None
    try:
        if args.target_loss is None:
            if args.runs:
                sys.exit("--runs needs --target-loss: every machine must aim at one target")
            pilot = pilot_target()
        shared["target"] = args.target_loss if pilot is None else pilot.pop("target_loss")
        use(shared)
        line(target_loss=target, pilot=pilot)
        jobs = [(bs, lr) for bs in BS for lr in LRS[bs]]
        picked = [jobs[i] for i in chosen(args.runs, len(jobs))]
        runs = run_all(sweep_run, picked, args, shared)
    except CannotTrain as e:
        sys.exit(str(e))
    for r in runs:
        line(bs=r["bs"], lr=r["lr"], reached=r["reached"], steps=r["steps"], tokens=r["tokens"])
    if not args.runs:                          # with --runs, --combine the machines' lines
        report(runs)

