# ---- The critical batch size ------------------------------------------------------
def fit_critical_batch(points):
    """S(b) = S_min (1 + B_crit / b) fitted to (bs, steps) by least squares on
    log S (the steps span orders of magnitude and their noise is a ratio):
    for a fixed B_crit the best log S_min is a mean, so only log B_crit is
    searched, on a grid and then by golden section. E_min = S_min * B_crit
    is in examples (bs x steps). None with fewer than two batch sizes."""
    points = [(b, math.log(s)) for b, s in points if b > 0 and s > 0]
    if not points or min(b for b, _ in points) == max(b for b, _ in points):
        return None
    lo = math.log(min(b for b, _ in points) / B_CRIT_RANGE)
    hi = math.log(max(b for b, _ in points) * B_CRIT_RANGE)

    def fit_at(b_crit):                        # (best log S_min, squared residual)
        shape = lambda b: math.log(1 + b_crit / b)
        log_s_min = sum(log_s - shape(b) for b, log_s in points) / len(points)
        return log_s_min, sum((log_s - log_s_min - shape(b)) ** 2 for b, log_s in points)

    residual = lambda log_b: fit_at(math.exp(log_b))[1]
    cell = (hi - lo) / GRID
    best = min((lo + cell * i for i in range(GRID + 1)), key=residual)
    a, b = max(best - cell, lo), min(best + cell, hi)
    ratio = (math.sqrt(5) - 1) / 2
    left, right = b - ratio * (b - a), a + ratio * (b - a)
    f_left, f_right = residual(left), residual(right)
    for _ in range(GOLDEN_ITERATIONS):
        if f_left <= f_right:
            b, right, f_right = right, left, f_left
            left = b - ratio * (b - a)
            f_left = residual(left)
        else:
            a, left, f_left = left, right, f_right
            right = a + ratio * (b - a)
            f_right = residual(right)
    log_b = (a + b) / 2
    if residual(log_b) > residual(best):
        log_b = best
    b_crit = math.exp(log_b)
    s_min = math.exp(fit_at(b_crit)[0])
    return {"s_min": s_min, "e_min": s_min * b_crit, "b_crit": b_crit}

