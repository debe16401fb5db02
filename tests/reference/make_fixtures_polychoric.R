# Golden values for ethos's polychoric correlations and ordinal alpha, from psych 2.2.9 (Debian: r-cran-psych,
# r-cran-mnormt).
# Generates seeded Likert datasets, writes them to data/polychoric_<name>.csv, reads them back, keys the
# reverse-keyed items (lo + hi - x) and writes, per dataset:
#   - psych's answer: p <- polychoric(keyed) (its defaults: global = TRUE, correct = .5, smooth = TRUE),
#     <d>.psych.rho[a,b] = p$rho, <d>.psych.tau[item,c] = p$tau (the threshold above keyed category c),
#     <d>.psych.alpha = alpha(p$rho)$total$raw_alpha (ordinal alpha);
#   - a tight reference of the same two-step estimate: psych's own thresholds, tables, zero-cell correction and
#     likelihood (psych:::polyBinBvn, whose cells mnormt computes to double precision in two dimensions), but the
#     likelihood equation dL/drho = sum_ij t_ij (dP_ij/drho) / P_ij = 0 solved by uniroot(tol = 1e-15) instead of
#     optimize(tol ~ 1.2e-4): <d>.tight.raw[a,b] (the pair estimates), <d>.tight.rho[a,b] (cor.smooth()ed when
#     psych smooths), <d>.tight.alpha;
#   - <d>.global (psych's choice of thresholds), <d>.smoothed, <d>.fixed (zero cells psych corrected),
#     <d>.n[a,b] (pairwise complete rows), <d>.dropped[item] (items psych deleted for no variance).
# Writes fixtures/polychoric.txt: lines "<key> <value>", '#' comments, value NA or formatC(x, digits = 17, "g").
#
# Run from anywhere: Rscript tests/reference/make_fixtures_polychoric.R

suppressPackageStartupMessages(library(psych))
options(mc.cores = 1L) # psych's polychoric maps over the pairs with parallel::mcmapply

seed <- 20261206L
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
set.seed(seed)

args <- commandArgs(trailingOnly = FALSE)
file_arg <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(file_arg) == 1) dirname(normalizePath(file_arg)) else getwd()
data_dir <- file.path(here, "data")
fixture_dir <- file.path(here, "fixtures")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(fixture_dir, showWarnings = FALSE, recursive = TRUE)

fmt17 <- function(x) trimws(formatC(x, digits = 17, format = "g"))
num <- function(x) ifelse(is.na(x), "NA", fmt17(x))

if (as.character(packageVersion("psych")) != "2.2.9") {
  warning("psych is ", as.character(packageVersion("psych")), ", the fixtures are meant for 2.2.9")
}

out <- c(
  "# ethos fixtures: polychoric correlations (two-step ML) and ordinal alpha, psych 2.2.9 and a tight reference.",
  "# Written by tests/reference/make_fixtures_polychoric.R; do not edit by hand.",
  "# format: '<key> <value>', value = NA | number (formatC digits = 17, 'g')",
  paste0("# ", R.version.string, "; psych ", as.character(packageVersion("psych")), "; mnormt ",
         as.character(packageVersion("mnormt"))),
  paste0("# set.seed(", seed, "); RNGkind: Mersenne-Twister, Inversion, Rejection"))
put <- function(key, value) out <<- c(out, paste(key, num(value)))
note <- function(text) out <<- c(out, paste("#", text))
put("meta.seed", seed)

# --- data generation: answers cut from a one-factor normal response ---
likert <- function(n, loading, cuts, missing) {
  f <- rnorm(n)
  sapply(loading, function(l) {
    x <- as.integer(cut(l * f + sqrt(1 - l^2) * rnorm(n), c(-Inf, cuts, Inf)))
    x[runif(n) < missing] <- NA_integer_
    x
  })
}

write_data <- function(name, answers, items) {
  frame <- data.frame(id = sprintf("r%04d", seq_len(nrow(answers))), answers)
  names(frame) <- c("id", items)
  file <- file.path(data_dir, paste0("polychoric_", name, ".csv"))
  body <- sapply(frame, function(v) if (is.numeric(v)) ifelse(is.na(v), "", as.character(v)) else as.character(v))
  writeLines(c(paste(names(frame), collapse = ","), apply(body, 1, paste, collapse = ",")), file)
  read.csv(file, stringsAsFactors = FALSE)[, items]
}

# --- the tight reference: psych's preparation (polychoric, then polyc), the likelihood equation solved ---
phi2 <- function(x, y, r) {
  v <- exp(-(x^2 - 2 * r * x * y + y^2) / (2 * (1 - r^2))) / (2 * pi * sqrt(1 - r^2))
  v[!is.finite(x) | !is.finite(y)] <- 0
  v
}

# d/drho of -polyF(rho, rc, cc, tab): the cells psych keeps (P > 0), each t_ij dP_ij/drho / P_ij, where dP_ij/drho
# is the bivariate normal density summed over the cell's corners with signs.
score <- function(rho, rc, cc, tab) {
  P <- psych:::polyBinBvn(rho, rc, cc)
  rr <- c(-Inf, rc, Inf)
  cu <- c(-Inf, cc, Inf)
  D <- outer(seq_len(length(rr) - 1), seq_len(length(cu) - 1), function(i, j)
    phi2(rr[i + 1], cu[j + 1], rho) - phi2(rr[i], cu[j + 1], rho) - phi2(rr[i + 1], cu[j], rho) +
      phi2(rr[i], cu[j], rho))
  ok <- P > 0 & tab > 0
  sum(tab[ok] * D[ok] / P[ok])
}

# One pair as psych:::polyc prepares it (global thresholds, or per-pair thresholds from the corrected table):
# list(rc, cc, tab, fixed), or NULL when psych gives NA.
prepare <- function(x, y, taux, tauy, global, correct, gmax) {
  tab <- psych:::tableFast(x, y, 1, gmax, 1, gmax)
  tot <- sum(tab)
  if (tot == 0) return(NULL)
  tab <- tab / tot
  if (global) return(list(rc = taux, cc = tauy, tab = tab, fixed = 0))
  tab <- tab[!apply(tab, 1, function(v) all(v == 0)), , drop = FALSE]
  tab <- tab[, !apply(tab, 2, function(v) all(v == 0)), drop = FALSE]
  fixed <- 0
  if (correct > 0 && any(tab[] == 0)) {
    fixed <- 1
    tab[tab == 0] <- correct / tot
  }
  if (min(dim(tab)) < 2) return(NULL)
  csum <- colSums(tab)
  rsum <- rowSums(tab)
  list(rc = qnorm(cumsum(rsum)[-length(rsum)]), cc = qnorm(cumsum(csum)[-length(csum)]), tab = tab, fixed = fixed)
}

solve_pair <- function(pp, start) {
  f <- function(r) score(r, pp$rc, pp$cc, pp$tab)
  lo <- max(-0.999999, start - 0.01)
  hi <- min(0.999999, start + 0.01)
  stopifnot(f(lo) > 0, f(hi) < 0)
  uniroot(f, c(lo, hi), tol = 1e-15, maxiter = 10000)$root
}

# --- one dataset: psych, the tight reference, the fixture keys ---
run <- function(name, answers, items, lo, hi, reverse, what) {
  data <- write_data(name, answers, items)
  keyed <- as.matrix(data)
  for (j in which(reverse)) keyed[, j] <- lo + hi - keyed[, j]
  d <- name
  note(paste0(d, ": ", what))
  put(paste0(d, ".rows"), nrow(keyed))
  put(paste0(d, ".items"), ncol(keyed))
  put(paste0(d, ".scale_min"), lo)
  put(paste0(d, ".scale_max"), hi)
  for (j in seq_along(items)) put(sprintf("%s.reverse[%s]", d, items[j]), as.numeric(reverse[j]))

  p <- suppressWarnings(suppressMessages(polychoric(keyed)))
  praw <- suppressWarnings(suppressMessages(polychoric(keyed, smooth = FALSE)))

  # psych's preparation, step by step as polychoric() does it
  x <- keyed
  sds <- apply(x, 2, sd, na.rm = TRUE)
  bad <- which(sds <= 0 | is.na(sds))
  nvalues <- max(x, na.rm = TRUE) - min(x, na.rm = TRUE) + 1
  if (length(bad) > 0) x <- x[, -bad, drop = FALSE]
  for (b in bad) put(sprintf("%s.dropped[%s]", d, items[b]), 1)
  xmin <- min(x, na.rm = TRUE)
  x <- t(t(x) - xmin + 1)
  xmax <- apply(x, 2, max, na.rm = TRUE)
  global <- min(xmax) == max(xmax)
  gmax <- max(xmax)
  xfreq <- apply(x, 2, tabulate, nbins = nvalues)
  tau <- qnorm(apply(t(t(xfreq) / colSums(xfreq)), 2, cumsum)[1:(nvalues - 1), , drop = FALSE])
  stopifnot(max(abs(tau - t(p$tau))[is.finite(tau)]) == 0)
  put(paste0(d, ".global"), as.numeric(global))
  kept <- colnames(x)
  m <- length(kept)
  for (a in kept) {
    for (r in seq_len(nvalues - 1)) {
      put(sprintf("%s.psych.tau[%s,%d]", d, a, xmin + r - 1), tau[r, a])
    }
  }

  raw <- diag(m)
  dimnames(raw) <- list(kept, kept)
  fixed <- 0
  worst_optimize <- 0
  for (i in 2:m) {
    for (j in 1:(i - 1)) {
      pp <- prepare(x[, i], x[, j], tau[, i], tau[, j], global, 0.5, gmax)
      stopifnot(!is.null(pp))
      fixed <- fixed + pp$fixed
      # the preparation above is psych's: its optimize on it, and polyc itself, give polychoric()'s estimate
      psych_way <- optimize(psych:::polyF, c(-1, 1), rc = pp$rc, cc = pp$cc, tab = pp$tab)$minimum
      pc <- psych:::polyc(x[, i], x[, j], tau[, i], tau[, j], global = global, correct = 0.5, gminx = 1,
                          gmaxx = gmax, gminy = 1, gmaxy = gmax)
      stopifnot(psych_way == praw$rho[i, j], pc$rho == praw$rho[i, j])
      root <- solve_pair(pp, praw$rho[i, j])
      # optimize at a tight tolerance agrees to the flatness of the objective (~1e-8): a check, not the reference
      opt <- optimize(psych:::polyF, c(-1, 1), rc = pp$rc, cc = pp$cc, tab = pp$tab, tol = 1e-13)$minimum
      worst_optimize <- max(worst_optimize, abs(opt - root))
      raw[i, j] <- raw[j, i] <- root
    }
  }
  put(paste0(d, ".fixed"), fixed)
  note(sprintf("%s: optimize(tol = 1e-13) vs the root of the likelihood equation: max |diff| %.1e", d, worst_optimize))
  smoothed <- min(eigen(praw$rho)$values) < .Machine$double.eps
  put(paste0(d, ".smoothed"), as.numeric(smoothed))
  tight <- if (smoothed) suppressWarnings(cor.smooth(raw)) else raw
  for (a in seq_len(m)) {
    for (b in seq_len(m)) {
      if (a == b) next
      ka <- kept[a]
      kb <- kept[b]
      put(sprintf("%s.n[%s,%s]", d, ka, kb), sum(!is.na(keyed[, ka]) & !is.na(keyed[, kb])))
      put(sprintf("%s.psych.raw[%s,%s]", d, ka, kb), praw$rho[a, b])
      put(sprintf("%s.psych.rho[%s,%s]", d, ka, kb), p$rho[a, b])
      put(sprintf("%s.tight.raw[%s,%s]", d, ka, kb), raw[a, b])
      put(sprintf("%s.tight.rho[%s,%s]", d, ka, kb), tight[a, b])
    }
  }
  pa <- suppressWarnings(suppressMessages(alpha(p$rho, warnings = FALSE)))$total$raw_alpha
  ta <- suppressWarnings(suppressMessages(alpha(tight, warnings = FALSE)))$total$raw_alpha
  put(paste0(d, ".psych.alpha"), pa)
  put(paste0(d, ".tight.alpha"), ta)
  cat(sprintf("%-8s global %d smoothed %d fixed %3d  alpha psych %.6f tight %.10f  max|psych - tight| %.1e\n", d,
              global, smoothed, fixed, pa, ta, max(abs(p$rho - tight))))
}

# likert5: 500 rows, five items on 1..5, p3 reverse-keyed, about 4% of the answers missing
a5 <- likert(500, c(.8, .7, .6, .65, .5), c(-1.5, -0.6, 0.3, 1.2), 0.04)
a5[, 3] <- 6L - a5[, 3]
run("likert5", a5, sprintf("p%d", 1:5), 1, 5, c(FALSE, FALSE, TRUE, FALSE, FALSE),
    "500 rows, p1..p5 on 1..5, p3 reverse-keyed, ~4% missing")

# likert7: 400 rows, four items on 1..7, about 2% missing
a7 <- likert(400, c(.75, .7, .55, .6), c(-1.8, -1.1, -0.4, 0.3, 1.0, 1.7), 0.02)
run("likert7", a7, sprintf("s%d", 1:4), 1, 7, rep(FALSE, 4), "400 rows, s1..s4 on 1..7, ~2% missing")

# unused: 300 rows, five items on 1..5; nobody answered 2 to u2 (its 2s became 1s), u5 is 3 for everyone (one
# category: psych deletes it); every other item uses 5, so psych keeps global thresholds
au <- likert(300, c(.7, .65, .6, .55, .5), c(-1.3, -0.5, 0.4, 1.2), 0.03)
au[!is.na(au[, 2]) & au[, 2] == 2L, 2] <- 1L
au[, 5] <- 3L
run("unused", au, sprintf("u%d", 1:5), 1, 5, rep(FALSE, 5),
    "300 rows on 1..5, u2 never 2, u5 always 3, ~3% missing")

# sparse: 120 rows, four skewed items on 1..5; t4's 5s became 4s, so the items' highest answers differ and psych
# turns to per-pair thresholds with the .5 correction of empty cells
as <- likert(120, c(.7, .6, .6, .5), c(-1.9, -1.2, -0.3, 0.6), 0.03)
as[!is.na(as[, 4]) & as[, 4] == 5L, 4] <- 4L
run("sparse", as, sprintf("t%d", 1:4), 1, 5, rep(FALSE, 4),
    "120 rows, t1..t4 on 1..5, skewed, t4 never 5 (per-pair thresholds), ~3% missing")

# nonpd: a planned-missing design of three blocks of 80 rows, each answering two of the three items: v1 and v2 agree,
# v1 and v3 agree, v2 and v3 disagree; the pairwise correlations cannot come from one normal, psych smooths
block <- function(n, r) {
  z <- matrix(rnorm(2 * n), n, 2) %*% chol(matrix(c(1, r, r, 1), 2))
  apply(z, 2, function(v) as.integer(cut(v, c(-Inf, -1.2, -0.4, 0.4, 1.2, Inf))))
}
an <- matrix(NA_integer_, 240, 3)
an[1:80, c(1, 2)] <- block(80, 0.8)
an[81:160, c(1, 3)] <- block(80, 0.8)
an[161:240, c(2, 3)] <- block(80, -0.8)
run("nonpd", an, sprintf("v%d", 1:3), 1, 5, rep(FALSE, 3),
    "240 rows on 1..5 in three blocks of 80, each block answering two of v1..v3 (smoothed)")

writeLines(out, file.path(fixture_dir, "polychoric.txt"))
