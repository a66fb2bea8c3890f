//! Word vectors for the claim comparison (`track::claims::compare::vectors`),
//! built from the word keys of training statements: co-occurrence within a
//! statement, positive PMI (context counts smoothed to the power 0.75), then
//! a truncated eigendecomposition of that symmetric matrix by seeded
//! subspace iteration. Single-threaded and in f64 with a fixed order of
//! operations, so the same statements always give the same bytes.

use std::collections::HashMap;

use track::claims::compare::vectors::WordVectors;

/// A key must occur in this many statements to get a vector.
const MIN_COUNT: u32 = 3;
/// A "statement" with more distinct keys than this is a scraped run-on (a
/// list, a table): its co-occurrences say little and cost much.
const MAX_KEYS: usize = 120;
/// Subspace iterations after the first product.
const ITERATIONS: usize = 6;
/// Extra columns carried by the subspace iteration.
const OVERSAMPLE: usize = 16;

pub struct Built {
    pub bytes: Vec<u8>,
    pub summary: String,
    /// The keys and components `bytes` encodes, for [`with_scene_direction`].
    entries: Vec<(String, Vec<i8>)>,
    dim: usize,
}

/// Vectors of `dim` components for the `max_vocab` most frequent keys of
/// `statements` (each a statement's distinct keys).
// Matrix code indexes as the formulas do.
#[allow(clippy::needless_range_loop)]
pub fn build(statements: &[Vec<String>], max_vocab: usize, dim: usize, seed: u64) -> Built {
    let mut freq: HashMap<&str, u32> = HashMap::new();
    for s in statements {
        for k in s {
            *freq.entry(k.as_str()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, u32)> = freq.into_iter().filter(|(_, c)| *c >= MIN_COUNT).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let frequent = ranked.len();
    ranked.truncate(max_vocab);
    let id: HashMap<&str, u32> = ranked
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (*k, i as u32))
        .collect();
    let v = ranked.len();
    let mut pairs: Vec<u64> = Vec::new();
    for s in statements {
        let mut ids: Vec<u32> = s
            .iter()
            .filter_map(|k| id.get(k.as_str()).copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() > MAX_KEYS {
            continue;
        }
        for (x, &a) in ids.iter().enumerate() {
            for &b in &ids[x + 1..] {
                pairs.push((u64::from(a) << 32) | u64::from(b));
            }
        }
    }
    pairs.sort_unstable();
    let mut counts: Vec<(usize, usize, f64)> = Vec::new();
    for p in pairs {
        let (a, b) = ((p >> 32) as usize, (p & 0xffff_ffff) as usize);
        match counts.last_mut() {
            Some(last) if last.0 == a && last.1 == b => last.2 += 1.0,
            _ => counts.push((a, b, 1.0)),
        }
    }
    let mut marginal = vec![0f64; v];
    for &(a, b, c) in &counts {
        marginal[a] += c;
        marginal[b] += c;
    }
    let total: f64 = marginal.iter().sum();
    let smoothed: Vec<f64> = marginal.iter().map(|m| m.powf(0.75)).collect();
    let z: f64 = smoothed.iter().sum();
    // Symmetric sparse PPMI, row by row.
    let mut rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); v];
    for &(a, b, c) in &counts {
        let pmi = (c / total).ln() - (smoothed[a] / z).ln() - (smoothed[b] / z).ln();
        if pmi > 0.0 {
            rows[a].push((b, pmi));
            rows[b].push((a, pmi));
        }
    }
    let nnz: usize = rows.iter().map(Vec::len).sum();
    let multiply = |q: &[Vec<f64>]| -> Vec<Vec<f64>> {
        q.iter()
            .map(|col| {
                rows.iter()
                    .map(|r| r.iter().map(|&(j, x)| x * col[j]).sum())
                    .collect()
            })
            .collect()
    };
    let k = (dim + OVERSAMPLE).min(v);
    let mut state = seed | 1;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    };
    let omega: Vec<Vec<f64>> = (0..k)
        .map(|_| (0..v).map(|_| uniform()).collect())
        .collect();
    let mut q = orthonormal(multiply(&omega));
    for _ in 0..ITERATIONS {
        q = orthonormal(multiply(&q));
    }
    let mq = multiply(&q);
    let mut b = vec![vec![0f64; k]; k];
    for x in 0..k {
        for y in 0..k {
            b[x][y] = dot(&q[x], &mq[y]);
        }
    }
    for x in 0..k {
        for y in x + 1..k {
            let m = (b[x][y] + b[y][x]) / 2.0;
            b[x][y] = m;
            b[y][x] = m;
        }
    }
    let (values, vectors) = jacobi(b);
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&x, &y| values[y].total_cmp(&values[x]).then(x.cmp(&y)));
    let top: Vec<usize> = order
        .into_iter()
        .take(dim)
        .filter(|&c| values[c] > 0.0)
        .collect();
    // Each word: its coordinates on the top eigenvectors, weighted by the
    // square root of their eigenvalues.
    let mut e = vec![vec![0f64; dim]; v];
    for (d, &c) in top.iter().enumerate() {
        let w = values[c].sqrt();
        for (i, row) in e.iter_mut().enumerate() {
            row[d] = w * (0..k).map(|x| q[x][i] * vectors[x][c]).sum::<f64>();
        }
    }
    // Unit rows, centred (the common direction every frequent word shares
    // says nothing of meaning), unit again.
    for row in &mut e {
        normalise(row);
    }
    let mut mean = vec![0f64; dim];
    for row in &e {
        mean.iter_mut()
            .zip(row)
            .for_each(|(m, x)| *m += x / v as f64);
    }
    let entries: Vec<(String, Vec<i8>)> = ranked
        .iter()
        .zip(&mut e)
        .map(|((key, _), row)| {
            row.iter_mut().zip(&mean).for_each(|(x, m)| *x -= m);
            normalise(row);
            (key.to_string(), quantise(row))
        })
        .collect();
    let shown: Vec<String> = top
        .iter()
        .take(5)
        .map(|&c| format!("{:.1}", values[c]))
        .collect();
    Built {
        bytes: WordVectors::encode(&entries, dim),
        entries,
        dim,
        summary: format!(
            "{} statements, {v} keys (of {frequent} in {MIN_COUNT}+ statements), {nnz} PPMI entries, {dim} dims (top eigenvalues {})",
            statements.len(),
            shown.join(", ")
        ),
    }
}

/// `built` with the direction from news statements towards scene statements
/// (the unit difference of their mean directions) under
/// [`vectors::SCENE_KEY`](track::claims::compare::vectors::SCENE_KEY).
/// `statements`: each statement's keys and whether it is a scene.
pub fn with_scene_direction(built: Built, statements: &[(Vec<String>, bool)]) -> Built {
    let v = WordVectors::from_bytes(std::borrow::Cow::Owned(built.bytes.clone()))
        .expect("vectors just built");
    let mut means = [vec![0f64; built.dim], vec![0f64; built.dim]];
    let mut counts = [0usize; 2];
    for (keys, scene) in statements {
        let mut sum = vec![0f64; built.dim];
        for k in keys {
            if let Some(x) = v.get(k) {
                sum.iter_mut()
                    .zip(&x)
                    .for_each(|(s, c)| *s += f64::from(*c));
            }
        }
        normalise(&mut sum);
        if dot(&sum, &sum) > 0.0 {
            let side = usize::from(*scene);
            means[side].iter_mut().zip(&sum).for_each(|(m, c)| *m += c);
            counts[side] += 1;
        }
    }
    let mut direction: Vec<f64> = means[1]
        .iter()
        .zip(&means[0])
        .map(|(s, n)| s / counts[1].max(1) as f64 - n / counts[0].max(1) as f64)
        .collect();
    normalise(&mut direction);
    let q = quantise(&direction);
    let key = track::claims::compare::vectors::SCENE_KEY.to_string();
    // No word key holds a control character, so `build` never wrote this one.
    let mut entries = built.entries;
    entries.push((key, q));
    Built {
        bytes: WordVectors::encode(&entries, built.dim),
        summary: format!(
            "{}; scene direction from {} scene and {} news statements",
            built.summary, counts[1], counts[0]
        ),
        entries,
        dim: built.dim,
    }
}

/// A vector in bytes, scaled to its largest component (the file's layout).
fn quantise(v: &[f64]) -> Vec<i8> {
    let max = v.iter().fold(0f64, |m, x| m.max(x.abs()));
    v.iter()
        .map(|x| {
            if max > 0.0 {
                (x / max * 127.0).round() as i8
            } else {
                0
            }
        })
        .collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn normalise(x: &mut [f64]) {
    let n = dot(x, x).sqrt();
    if n > 0.0 {
        x.iter_mut().for_each(|v| *v /= n);
    }
}

/// Modified Gram-Schmidt on columns (a column that vanishes stays zero).
fn orthonormal(mut q: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    for c in 0..q.len() {
        let (done, rest) = q.split_at_mut(c);
        let col = &mut rest[0];
        for p in done.iter() {
            let r = dot(col, p);
            col.iter_mut().zip(p).for_each(|(x, y)| *x -= r * y);
        }
        let n = dot(col, col).sqrt();
        if n > 1e-12 {
            col.iter_mut().for_each(|x| *x /= n);
        } else {
            col.iter_mut().for_each(|x| *x = 0.0);
        }
    }
    q
}

/// Eigenvalues and eigenvectors (columns: `vectors[row][c]`) of a small
/// symmetric matrix, by cyclic Jacobi rotations.
#[allow(clippy::needless_range_loop)]
fn jacobi(mut a: Vec<Vec<f64>>) -> (Vec<f64>, Vec<Vec<f64>>) {
    let n = a.len();
    let mut v: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect())
        .collect();
    for _ in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        if off < 1e-20 {
            break;
        }
        for p in 0..n {
            for r in p + 1..n {
                if a[p][r].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[r][r] - a[p][p]) / (2.0 * a[p][r]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akr) = (a[k][p], a[k][r]);
                    a[k][p] = c * akp - s * akr;
                    a[k][r] = s * akp + c * akr;
                }
                for k in 0..n {
                    let (apk, ark) = (a[p][k], a[r][k]);
                    a[p][k] = c * apk - s * ark;
                    a[r][k] = s * apk + c * ark;
                }
                for row in v.iter_mut() {
                    let (vkp, vkr) = (row[p], row[r]);
                    row[p] = c * vkp - s * vkr;
                    row[r] = s * vkp + c * vkr;
                }
            }
        }
    }
    ((0..n).map(|i| a[i][i]).collect(), v)
}

#[cfg(test)]
mod tests {
    #[test]
    fn jacobi_diagonalises() {
        let (values, _) = super::jacobi(vec![vec![2.0, 1.0], vec![1.0, 2.0]]);
        let mut v = values;
        v.sort_by(f64::total_cmp);
        assert!((v[0] - 1.0).abs() < 1e-9 && (v[1] - 3.0).abs() < 1e-9);
    }
}
