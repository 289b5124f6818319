# ---- The race -------------------------------------------------------------------
def race_run(i):
    """Trains run i on the training text for max_tokens tokens (the page's
    race runs until it is stopped): a JSON line at every validation pass
    with the smoothed training loss, and the run's summary at the end."""
    cfg = RUNS[i]
    run = Run(init, cfg["bs"], cfg["lr"], cfg["bptt"], cfg["scheme"], cfg["carry"])
    smoother, loss, best, diverged = Smoother(SMOOTHING), None, None, None
    next_at, started = VALIDATE_EVERY_TOKENS, time.perf_counter()
    while run.tokens < max_tokens:
        batch_loss = run.step()
        if batch_loss is None:
            diverged = run.steps + 1           # the loss or the gradient is not finite
            break
        loss = smoother.add(batch_loss)
        if run.tokens < next_at:
            continue
        next_at = (run.tokens // VALIDATE_EVERY_TOKENS + 1) * VALIDATE_EVERY_TOKENS
        val = validation_loss(run.model, validation, cfg["bs"], cfg["bptt"], cfg["carry"],
                              VALIDATION_TOKENS)
        if val is not None and (best is None or val < best):
            best = val
        line(run=cfg["label"], step=run.steps, tokens=run.tokens, epoch=run.epoch,
             seconds=round(time.perf_counter() - started, 3), loss=loss, val_loss=val)
    return {"run": cfg["label"], "bs": cfg["bs"], "lr": cfg["lr"], "bptt": cfg["bptt"],
            "scheme": cfg["scheme"], "carry": cfg["carry"], "steps": run.steps,
            "tokens": run.tokens, "seconds": round(time.perf_counter() - started, 3),
            "loss": loss, "best_val_loss": best, "diverged_at_step": diverged}


def main():
    args = common_args(__doc__.splitlines()[0]).parse_args()
    shared = setup(args)
    shared.update(init=initial_state(args.init), max_tokens=args.max_tokens)
    use(shared)
    try:
        summaries = run_all(race_run, chosen(args.runs, len(RUNS)), args, shared)
    except CannotTrain as e:
        sys.exit(str(e))
    for summary in summaries:                  # one line per run, in the page's order
        line(**summary)

