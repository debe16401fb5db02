# Generates the reference datasets and the golden statistics that the ethos tests compare against.
#
# Run from anywhere:   Rscript tests/reference/make_fixtures.R
# Needs base R, psych 2.2.9 and multilevel 2.7
# (Debian 12: apt-get install r-base-core r-cran-psych r-cran-multilevel).
#
# Paths: outputs go to data/ and fixtures/ next to THIS script (its location is taken from
# Rscript's --file= argument). When the script is source()d interactively there is no --file=,
# and the working directory is used instead: it must then be the repository root (the script
# looks for tests/reference/ below it) or tests/reference/ itself.
#
# Everything is deterministic: every dataset has a fixed seed of its own (base seed + index), so
# adding or changing one dataset never changes the others. Output is plain text with LF endings.

suppressPackageStartupMessages({
  library(psych)
  library(multilevel)
})

BASE_SEED <- 20240521L
RNGkind(kind = "Mersenne-Twister", normal.kind = "Inversion", sample.kind = "Rejection")

# ---------------------------------------------------------------------------------------------
# Paths and versions
# ---------------------------------------------------------------------------------------------
script_dir <- local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg) == 1L) {
    dirname(normalizePath(sub("^--file=", "", file_arg)))
  } else if (dir.exists(file.path("tests", "reference"))) {
    normalizePath(file.path("tests", "reference"))
  } else if (file.exists("make_fixtures.R")) {
    normalizePath(".")
  } else {
    stop("cannot locate tests/reference: run as `Rscript tests/reference/make_fixtures.R`")
  }
})
data_dir <- file.path(script_dir, "data")
fixture_dir <- file.path(script_dir, "fixtures")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
dir.create(fixture_dir, showWarnings = FALSE, recursive = TRUE)

expected_versions <- c(psych = "2.2.9", multilevel = "2.7")
versions <- c(R = paste(R.version$major, R.version$minor, sep = "."),
              psych = as.character(packageVersion("psych")),
              multilevel = as.character(packageVersion("multilevel")))
cat(sprintf("R %s, psych %s, multilevel %s\n\n", versions[["R"]], versions[["psych"]], versions[["multilevel"]]))
for (pkg in names(expected_versions)) {
  if (versions[[pkg]] != expected_versions[[pkg]]) {
    warning(sprintf("%s is %s but the fixtures are defined against %s: results may differ",
                    pkg, versions[[pkg]], expected_versions[[pkg]]), call. = FALSE, immediate. = TRUE)
  }
}

# ---------------------------------------------------------------------------------------------
# Generators
# ---------------------------------------------------------------------------------------------

# Continuous propensity -> integer category on [lo, hi].
to_scale <- function(z, lo, hi) as.integer(pmin(hi, pmax(lo, round(z))))

# Shuffled group labels with the given sizes (one label per row).
assign_groups <- function(sizes) {
  ids <- sprintf("g%02d", seq_along(sizes))
  sample(rep(ids, sizes))
}

# Missing completely at random with probability p, per cell.
mcar <- function(m, p) {
  m[matrix(runif(length(m)) < p, nrow(m))] <- NA_integer_
  m
}

# Items from a latent person factor plus a group effect; sd_e controls the item noise.
latent_items <- function(grp, k, lo, hi, loading, sd_group, sd_e, centre = (lo + hi) / 2) {
  gid <- sort(unique(grp))
  u <- setNames(rnorm(length(gid), 0, sd_group), gid)
  eta <- u[grp] + rnorm(length(grp))
  items <- sapply(seq_len(k), function(j) to_scale(centre + loading * eta + rnorm(length(grp), 0, sd_e), lo, hi))
  list(items = matrix(items, ncol = k), eta = as.numeric(eta))
}

make_likert5 <- function() {
  # 30 groups, 240 rows: three singletons, two pairs, several around 20.
  sizes <- c(1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 10, 11, 12, 13, 14, 15, 16, 18, 20)
  stopifnot(length(sizes) == 30, sum(sizes) == 240)
  grp <- assign_groups(sizes)
  n <- length(grp)
  li <- latent_items(grp, 4, 1, 5, loading = 0.85, sd_group = 0.7, sd_e = 0.85, centre = 3.3)
  x <- li$items
  x[, 3] <- 6L - x[, 3]  # i3 is reverse-keyed: stored as answered, correlates negatively
  x <- mcar(x, 0.05)
  # Two rows with no item answered; one of them is the only member of group g01, so that group
  # has no data at all. Several rows with exactly one item answered (no person score for k = 4).
  all_missing <- c(which(grp == "g01"), which(grp == "g20")[1])
  x[all_missing, ] <- NA_integer_
  pool <- setdiff(seq_len(n), all_missing)
  pool <- pool[!(grp[pool] %in% c("g02", "g03"))]  # keep the other singletons answering
  single <- sample(pool, 6)
  for (r in single) {
    keep <- sample(4, 1)
    x[r, -keep] <- NA_integer_
  }
  outcome <- to_scale(5.5 + 1.8 * li$eta + rnorm(n, 0, 1.5), 0, 10)
  outcome[runif(n) < 0.06] <- NA_integer_
  eta2 <- 0.5 * li$eta + sqrt(0.75) * rnorm(n)
  j <- sapply(1:3, function(q) to_scale(3.1 + 0.8 * eta2 + rnorm(n, 0, 0.8), 1, 5))
  j <- mcar(j, 0.02)
  colnames(x) <- paste0("i", 1:4)
  colnames(j) <- paste0("j", 1:3)
  list(name = "likert5", lo = 1L, hi = 5L, reverse = "i3", grp = grp, items = x,
       extra = data.frame(outcome = outcome, j, check.names = FALSE),
       description = paste("240 rows, 5-point, 4 items (i3 reverse-keyed), ~5% MCAR plus 2 all-missing rows",
                           "and 6 single-answer rows, 30 unbalanced groups (sizes 1..20; g01 has only an",
                           "all-missing row); extra columns outcome (0..10) and j1..j3 (second construct)"))
}

make_likert7 <- function() {
  sizes <- c(1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 24, 31)
  stopifnot(length(sizes) == 25, sum(sizes) == 300)
  grp <- assign_groups(sizes)
  li <- latent_items(grp, 5, 1, 7, loading = 1.1, sd_group = 0.6, sd_e = 1.2, centre = 4.4)
  x <- mcar(li$items, 0.03)
  colnames(x) <- paste0("i", 1:5)
  list(name = "likert7", lo = 1L, hi = 7L, reverse = character(0), grp = grp, items = x, extra = NULL,
       description = "300 rows, 7-point, 5 items, ~3% MCAR, 25 unbalanced groups (sizes 1..31)")
}

make_zerovar <- function() {
  sizes <- c(2, 3, 5, 6, 8, 9, 10, 11, 13, 15, 18, 20)
  stopifnot(length(sizes) == 12, sum(sizes) == 120)
  grp <- assign_groups(sizes)
  li <- latent_items(grp, 3, 1, 5, loading = 0.8, sd_group = 0.5, sd_e = 0.9)
  x <- cbind(mcar(li$items, 0.05), 3L)
  storage.mode(x) <- "integer"
  colnames(x) <- paste0("i", 1:4)
  list(name = "zerovar", lo = 1L, hi = 5L, reverse = character(0), grp = grp, items = x, extra = NULL,
       description = "120 rows, 5-point, 4 items, i4 == 3 in every row (zero variance), ~5% MCAR in i1..i3, 12 groups")
}

make_complete5 <- function() {
  sizes <- c(5, 8, 10, 12, 14, 15, 18, 20, 22, 26)
  stopifnot(length(sizes) == 10, sum(sizes) == 150)
  grp <- assign_groups(sizes)
  li <- latent_items(grp, 3, 1, 5, loading = 0.8, sd_group = 0.5, sd_e = 0.8, centre = 3.2)
  x <- li$items
  colnames(x) <- paste0("i", 1:3)
  list(name = "complete5", lo = 1L, hi = 5L, reverse = character(0), grp = grp, items = x, extra = NULL,
       description = "150 rows, 5-point, 3 items, no missing answers, 10 groups")
}

make_two_items <- function() {
  sizes <- c(3, 6, 9, 11, 13, 16, 20, 22)
  stopifnot(length(sizes) == 8, sum(sizes) == 100)
  grp <- assign_groups(sizes)
  li <- latent_items(grp, 2, 1, 5, loading = 0.8, sd_group = 0.5, sd_e = 0.8, centre = 3.1)
  x <- li$items
  x[sample(length(x), 6)] <- NA_integer_
  colnames(x) <- paste0("i", 1:2)
  list(name = "two_items", lo = 1L, hi = 5L, reverse = character(0), grp = grp, items = x, extra = NULL,
       description = "100 rows, 5-point, 2 items, 6 missing answers, 8 groups")
}

generators <- list(make_likert5, make_likert7, make_zerovar, make_complete5, make_two_items)

# ---------------------------------------------------------------------------------------------
# Output helpers
# ---------------------------------------------------------------------------------------------

# 17 significant digits round-trip a double exactly. NA and NaN are both written as NA.
# formatC pads short results to a width of digits + 1, hence the trimws.
fmt_num <- function(x) {
  x <- as.numeric(x)
  ifelse(is.na(x), "NA", trimws(formatC(x, digits = 17, format = "g")))
}

write_lf <- function(lines, path) {
  con <- file(path, open = "wb")
  on.exit(close(con))
  writeLines(enc2utf8(lines), con, sep = "\n", useBytes = TRUE)
}

write_data_csv <- function(ds, path) {
  n <- nrow(ds$items)
  df <- data.frame(id = sprintf("r%03d", seq_len(n)), group = ds$grp, ds$items, check.names = FALSE,
                   stringsAsFactors = FALSE)
  if (!is.null(ds$extra)) df <- cbind(df, ds$extra)
  cells <- vapply(df, function(col) ifelse(is.na(col), "", as.character(col)), character(n))
  lines <- c(paste(names(df), collapse = ","), apply(matrix(cells, nrow = n), 1, paste, collapse = ","))
  write_lf(lines, path)
}

# ---------------------------------------------------------------------------------------------
# Reference statistics for one dataset
# ---------------------------------------------------------------------------------------------
fixture_lines <- function(ds, seed) {
  out <- character(0)
  kv <- function(key, value) out <<- c(out, paste(key, value))
  num <- function(key, value) kv(key, fmt_num(value))
  comment <- function(...) out <<- c(out, paste("#", ...))

  lo <- ds$lo
  hi <- ds$hi
  x <- ds$items
  k <- ncol(x)
  n <- nrow(x)
  item_ids <- colnames(x)
  row_ids <- sprintf("r%03d", seq_len(n))
  group_ids <- sort(unique(ds$grp))
  # A factor with every group of the dataset as a level: multilevel then reports every group,
  # also those left with no (complete) rows, as NA with size 0.
  grp <- factor(ds$grp, levels = group_ids)
  A <- hi - lo + 1L
  ranvar <- (A^2 - 1) / 12

  # Keying with the scale's bounds (x' = lo + hi - x).
  xk <- x
  for (it in ds$reverse) xk[, it] <- lo + hi - xk[, it]
  xk_df <- as.data.frame(xk)

  comment(sprintf("ethos reference fixture for dataset '%s' (data/%s.csv)", ds$name, ds$name))
  comment(sprintf("generated by tests/reference/make_fixtures.R with R %s, psych %s, multilevel %s",
                  versions[["R"]], versions[["psych"]], versions[["multilevel"]]))
  comment(sprintf("seed %d (base seed %d), RNGkind Mersenne-Twister/Inversion/Rejection", seed, BASE_SEED))
  comment(ds$description)
  comment("format: '<key> <value>', value = NA | number (formatC digits = 17, 'g'); NaN from R is written as NA")
  comment("all statistics are computed on the KEYED items (reverse items: x' = scale_min + scale_max - x)")
  kv("meta.r_version", versions[["R"]])
  kv("meta.psych_version", versions[["psych"]])
  kv("meta.multilevel_version", versions[["multilevel"]])
  kv("meta.seed", seed)
  kv("dataset.name", ds$name)
  kv("dataset.scale_min", lo)
  kv("dataset.scale_max", hi)
  kv("dataset.items", k)
  for (i in seq_len(k)) kv(sprintf("dataset.item[%d]", i), item_ids[i])
  for (it in ds$reverse) kv(sprintf("dataset.reverse[%s]", it), 1L)
  kv("dataset.rows", n)
  kv("dataset.groups", length(group_ids))
  num("dataset.ranvar", ranvar)

  # --- psych::alpha -------------------------------------------------------------------------
  deleted <- character(0)
  a <- withCallingHandlers(
    psych::alpha(xk_df, use = "pairwise", check.keys = FALSE, warnings = FALSE),
    warning = function(w) {
      msg <- conditionMessage(w)
      if (grepl("had no variance and was deleted", msg, fixed = TRUE)) {
        deleted <<- c(deleted, sub("^Item = (\\S+) had no variance.*$", "\\1", msg))
        invokeRestart("muffleWarning")
      }
    })
  kept <- setdiff(item_ids, deleted)
  stopifnot(identical(rownames(a$item.stats), kept), identical(rownames(a$alpha.drop), kept))
  comment("psych::alpha(xk, use = 'pairwise', check.keys = FALSE, warnings = FALSE)")
  if (length(deleted) > 0) comment("psych deleted zero-variance items:", paste(deleted, collapse = " "))
  num("alpha.raw", a$total$raw_alpha)
  num("alpha.std", a$total$std.alpha)
  num("alpha.average_r", a$total$average_r)
  num("alpha.ase", a$total$ase)
  num("alpha.feldt_lower", a$feldt$lower.ci)
  num("alpha.feldt_upper", a$feldt$upper.ci)
  kv("alpha.n_obs", n)
  kv("alpha.nvar", a$nvar)
  for (it in deleted) kv(sprintf("alpha.deleted[%s]", it), 1L)
  for (it in kept) {
    num(sprintf("alpha.drop.raw[%s]", it), a$alpha.drop[it, "raw_alpha"])
    num(sprintf("alpha.drop.std[%s]", it), a$alpha.drop[it, "std.alpha"])
    num(sprintf("alpha.drop.average_r[%s]", it), a$alpha.drop[it, "average_r"])
    num(sprintf("alpha.r_drop[%s]", it), a$item.stats[it, "r.drop"])
    num(sprintf("alpha.raw_r[%s]", it), a$item.stats[it, "raw.r"])
    kv(sprintf("alpha.item_n[%s]", it), a$item.stats[it, "n"])
  }

  # --- raw item moments (of the keyed items) --------------------------------------------------
  comment("item moments of the keyed items, missing values removed; var has divisor n - 1")
  for (it in item_ids) {
    num(sprintf("item.mean[%s]", it), mean(xk[, it], na.rm = TRUE))
    num(sprintf("item.var[%s]", it), var(xk[, it], na.rm = TRUE))
  }

  # --- person construct scores ----------------------------------------------------------------
  min_answered <- ceiling(k / 2)
  answered <- rowSums(!is.na(xk))
  ps <- ifelse(answered >= min_answered, rowMeans(xk, na.rm = TRUE), NA_real_)
  comment(sprintf("person scores: mean of answered keyed items if at least %d answered, else NA", min_answered))
  kv("ps.min_answered", min_answered)
  for (r in seq_len(n)) num(sprintf("ps[%s]", row_ids[r]), ps[r])

  # --- multilevel agreement -------------------------------------------------------------------
  comment(sprintf("multilevel agreement, ranvar = (A^2 - 1)/12 = %s; grp is a factor with all %d groups as levels",
                  fmt_num(ranvar), length(group_ids)))
  r1 <- multilevel::rwg(xk[, 1], grp, ranvar)
  rj <- multilevel::rwg.j(xk_df, grp, ranvar)
  aw <- multilevel::awg(xk_df, grp, range = c(lo, hi))
  ad <- multilevel::ad.m(xk_df, grp)
  stopifnot(identical(as.character(r1$grpid), group_ids), identical(as.character(rj$grpid), group_ids),
            identical(as.character(aw$grpid), group_ids), identical(as.character(ad$grpid), group_ids))
  first <- item_ids[1]
  for (g in seq_along(group_ids)) {
    gid <- group_ids[g]
    num(sprintf("rwg.%s[%s]", first, gid), r1$rwg[g])
    kv(sprintf("rwg.%s.gsize[%s]", first, gid), r1$gsize[g])
    num(sprintf("rwg_j[%s]", gid), rj$rwg.j[g])
    kv(sprintf("rwg_j.gsize[%s]", gid), rj$gsize[g])
    num(sprintf("awg[%s]", gid), aw$a.wg[g])
    kv(sprintf("awg.nraters[%s]", gid), aw$nraters[g])
    num(sprintf("ad_m[%s]", gid), ad$AD.M[g])
  }
  v <- rj$rwg.j[!is.na(rj$rwg.j)]
  comment("summaries over groups with a non-NA rwg(j)")
  num("rwg_j.mean", if (length(v)) mean(v) else NA)
  num("rwg_j.median", if (length(v)) median(v) else NA)
  num("rwg_j.share_ge_070", if (length(v)) mean(v >= 0.70) else NA)
  kv("rwg_j.groups", length(v))

  # --- ICC(1), ICC(2) of the person scores -----------------------------------------------------
  m <- aov(ps ~ as.factor(ds$grp))
  tab <- summary(m)[[1]]
  comment("m <- aov(ps ~ as.factor(grp)); multilevel::ICC1(m), ICC2(m); rows with NA ps dropped")
  num("icc.icc1", multilevel::ICC1(m))
  num("icc.icc2", multilevel::ICC2(m))
  num("icc.msb", tab[1, "Mean Sq"])
  num("icc.msw", tab[2, "Mean Sq"])
  kv("icc.n", length(residuals(m)))
  kv("icc.groups", tab[1, "Df"] + 1)

  list(lines = out, alpha = a, deleted = deleted, ps = ps, rj = rj, r1 = r1, aw = aw, m = m, tab = tab,
       icc1 = multilevel::ICC1(m), icc2 = multilevel::ICC2(m))
}

# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------
for (idx in seq_along(generators)) {
  seed <- BASE_SEED + idx
  set.seed(seed)
  ds <- generators[[idx]]()
  csv_path <- file.path(data_dir, paste0(ds$name, ".csv"))
  fix_path <- file.path(fixture_dir, paste0(ds$name, ".txt"))
  write_data_csv(ds, csv_path)
  res <- fixture_lines(ds, seed)
  write_lf(res$lines, fix_path)

  # Sanity report.
  sizes <- table(factor(ds$grp, levels = sort(unique(ds$grp))))
  raw_cor <- suppressWarnings(cor(ds$items, use = "pairwise"))
  cat(sprintf("\n== %s: %d rows, %d items, %d groups (sizes %d..%d; size 1: %d, size 2: %d), %.1f%% missing\n",
              ds$name, nrow(ds$items), ncol(ds$items), length(sizes), min(sizes), max(sizes),
              sum(sizes == 1), sum(sizes == 2), 100 * mean(is.na(ds$items))))
  if (length(ds$reverse)) {
    for (it in ds$reverse) {
      cat(sprintf("   reverse item %s: mean raw correlation with the other items %.3f (before keying)\n", it,
                  mean(raw_cor[it, setdiff(colnames(raw_cor), it)])))
    }
  }
  cat(sprintf("   alpha raw %.4f std %.4f average_r %.4f ase %.4f feldt [%.4f, %.4f] nvar %d%s\n",
              res$alpha$total$raw_alpha, res$alpha$total$std.alpha, res$alpha$total$average_r,
              res$alpha$total$ase, res$alpha$feldt$lower.ci, res$alpha$feldt$upper.ci, res$alpha$nvar,
              if (length(res$deleted)) paste0(" (deleted: ", paste(res$deleted, collapse = " "), ")") else ""))
  cat(sprintf("   ICC1 %.4f ICC2 %.4f (MSB %.4f MSW %.4f, n %d, groups %d); person scores NA: %d\n",
              res$icc1, res$icc2, res$tab[1, "Mean Sq"], res$tab[2, "Mean Sq"], length(residuals(res$m)),
              res$tab[1, "Df"] + 1, sum(is.na(res$ps))))
  cat(sprintf("   rwg(j): %d groups non-NA, mean %.4f; NA groups: %s\n", sum(!is.na(res$rj$rwg.j)),
              mean(res$rj$rwg.j, na.rm = TRUE),
              paste(sprintf("%s(n=%d)", res$rj$grpid, res$rj$gsize)[is.na(res$rj$rwg.j)], collapse = " ")))
  cat(sprintf("   rwg(%s) NA groups: %s\n", colnames(ds$items)[1],
              paste(sprintf("%s(n=%d)", res$r1$grpid, res$r1$gsize)[is.na(res$r1$rwg)], collapse = " ")))
  cat(sprintf("   awg: %d groups non-NA of %d\n", sum(!is.na(res$aw$a.wg)), nrow(res$aw)))
  cat(sprintf("   wrote %s (%d bytes), %s (%d lines)\n", basename(csv_path), file.size(csv_path),
              basename(fix_path), length(res$lines)))
}
cat("\ndone\n")
