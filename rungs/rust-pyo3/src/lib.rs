//! The five problems and the JSON event pipeline in Rust, exposed to Python through PyO3 (built
//! with maturin). The same algorithms as rungs/cpython/bench.py. rustc never contracts a * b + c
//! into an FMA unless told to (no fp-contract in Rust), so mandelbrot's multiply-then-add stays as
//! written.

mod event_pipeline;
mod pyfloat;

use pyo3::prelude::*;
use pyo3::types::PyBytes;

const PI: f64 = 3.141592653589793;
const SOLAR_MASS: f64 = 4.0 * PI * PI;
const DAYS_PER_YEAR: f64 = 365.24;
const DT: f64 = 0.01;
const NB: usize = 5;

const PLANETS: [[f64; 7]; NB] = [
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
    [
        4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
        1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
        9.54791938424326609e-04,
    ],
    [
        8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
        -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
        2.85885980666130812e-04,
    ],
    [
        1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
        2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
        4.36624404335156298e-05,
    ],
    [
        1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
        2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
        5.15138902046611451e-05,
    ],
];

const NP: usize = NB * (NB - 1) / 2;

/// Positions and velocities as one array per coordinate: the pair loop then works on whole rows,
/// and LLVM packs the ten square roots of a step into vsqrtpd, which an array of [x, y, z]
/// triples kept scalar (nine vsqrtsd; the faster-python-bench crate's layout is the model).
struct System {
    x: [[f64; NB]; 3],
    v: [[f64; NB]; 3],
    m: [f64; NB],
}

fn energy(s: &System) -> f64 {
    let mut e = 0.0;
    for i in 0..NB {
        let v2 = s.v[0][i] * s.v[0][i] + s.v[1][i] * s.v[1][i] + s.v[2][i] * s.v[2][i];
        e += 0.5 * s.m[i] * v2;
        for j in i + 1..NB {
            let dx = s.x[0][i] - s.x[0][j];
            let dy = s.x[1][i] - s.x[1][j];
            let dz = s.x[2][i] - s.x[2][j];
            e -= s.m[i] * s.m[j] / (dx * dx + dy * dy + dz * dz).sqrt();
        }
    }
    e
}

fn advance(s: &mut System, d: &mut [[f64; NP]; 3], mag: &mut [f64; NP]) {
    let mut k = 0;
    for i in 0..NB {
        for j in i + 1..NB {
            for c in 0..3 {
                d[c][k] = s.x[c][i] - s.x[c][j];
            }
            k += 1;
        }
    }
    for k in 0..NP {
        let d2 = d[0][k] * d[0][k] + d[1][k] * d[1][k] + d[2][k] * d[2][k];
        mag[k] = DT / (d2 * d2.sqrt());
    }
    k = 0;
    for i in 0..NB {
        for j in i + 1..NB {
            let (mi, mj) = (s.m[i] * mag[k], s.m[j] * mag[k]);
            for c in 0..3 {
                s.v[c][i] -= d[c][k] * mj;
                s.v[c][j] += d[c][k] * mi;
            }
            k += 1;
        }
    }
    for c in 0..3 {
        for i in 0..NB {
            s.x[c][i] += DT * s.v[c][i];
        }
    }
}

fn nbody_run(n: u64) -> (f64, f64) {
    let mut s = System { x: [[0.0; NB]; 3], v: [[0.0; NB]; 3], m: [0.0; NB] };
    let mut mom = [0.0f64; 3];
    for i in 0..NB {
        s.m[i] = PLANETS[i][6] * SOLAR_MASS;
        for c in 0..3 {
            s.x[c][i] = PLANETS[i][c];
            s.v[c][i] = PLANETS[i][3 + c] * DAYS_PER_YEAR;
            mom[c] += s.v[c][i] * s.m[i];
        }
    }
    for c in 0..3 {
        s.v[c][0] = -mom[c] / SOLAR_MASS;
    }
    let before = energy(&s);
    let mut d = [[0.0f64; NP]; 3];
    let mut mag = [0.0f64; NP];
    for _ in 0..n {
        advance(&mut s, &mut d, &mut mag);
    }
    (before, energy(&s))
}

#[pyfunction]
fn nbody(n: u64) -> String {
    let (before, after) = nbody_run(n);
    format!("{:.9}\n{:.9}\n", before, after)
}

#[inline]
fn eval_a(i: usize, j: usize) -> f64 {
    1.0 / (((i + j) * (i + j + 1) / 2 + i + 1) as f64)
}

fn mul_av(v: &[f64], out: &mut [f64]) {
    for (i, o) in out.iter_mut().enumerate() {
        let mut s = 0.0;
        for (j, x) in v.iter().enumerate() {
            s += eval_a(i, j) * x;
        }
        *o = s;
    }
}

fn mul_atv(v: &[f64], out: &mut [f64]) {
    for (i, o) in out.iter_mut().enumerate() {
        let mut s = 0.0;
        for (j, x) in v.iter().enumerate() {
            s += eval_a(j, i) * x;
        }
        *o = s;
    }
}

#[pyfunction]
fn spectral_norm(n: usize) -> String {
    let mut u = vec![1.0f64; n];
    let mut v = vec![0.0f64; n];
    let mut tmp = vec![0.0f64; n];
    for _ in 0..10 {
        mul_av(&u, &mut tmp);
        mul_atv(&tmp, &mut v);
        mul_av(&v, &mut tmp);
        mul_atv(&tmp, &mut u);
    }
    let mut vbv = 0.0;
    let mut vv = 0.0;
    for i in 0..n {
        vbv += u[i] * v[i];
        vv += v[i] * v[i];
    }
    format!("{:.9}\n", (vbv / vv).sqrt())
}

#[pyfunction]
fn fannkuch_redux(n: usize) -> PyResult<String> {
    if !(1..=20).contains(&n) {
        return Err(pyo3::exceptions::PyValueError::new_err("n out of range"));
    }
    let mut perm1: Vec<usize> = (0..n).collect();
    let mut perm = vec![0usize; n];
    let mut count = vec![0usize; n];
    let mut checksum: i64 = 0;
    let mut max_flips: i64 = 0;
    let mut index: u64 = 0;
    loop {
        let mut first = perm1[0];
        if first != 0 {
            perm.copy_from_slice(&perm1);
            let mut flips: i64 = 0;
            while first != 0 {
                perm[..=first].reverse();
                flips += 1;
                first = perm[0];
            }
            checksum += if index % 2 == 0 { flips } else { -flips };
            max_flips = max_flips.max(flips);
        }
        index += 1;
        let mut i = 1;
        loop {
            if i >= n {
                return Ok(format!("{}\nPfannkuchen({}) = {}\n", checksum, n, max_flips));
            }
            perm1[..=i].rotate_left(1);
            count[i] += 1;
            if count[i] <= i {
                break;
            }
            count[i] = 0;
            i += 1;
        }
    }
}

#[pyfunction]
fn mandelbrot<'py>(py: Python<'py>, n: usize) -> Bound<'py, PyBytes> {
    let mut out = format!("P4\n{} {}\n", n, n).into_bytes();
    out.reserve((n + 7) / 8 * n);
    for y in 0..n {
        let ci = 2.0 * y as f64 / n as f64 - 1.0;
        let mut byte: u8 = 0;
        for x in 0..n {
            let cr = 2.0 * x as f64 / n as f64 - 1.5;
            let (mut zr, mut zi, mut tr, mut ti) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
            for _ in 0..50 {
                zi = 2.0 * zr * zi + ci;
                zr = tr - ti + cr;
                tr = zr * zr;
                ti = zi * zi;
                if tr + ti > 4.0 {
                    break;
                }
            }
            byte = (byte << 1) | (tr + ti <= 4.0) as u8;
            if x % 8 == 7 {
                out.push(byte);
                byte = 0;
            }
        }
        if n % 8 != 0 {
            out.push(byte << (8 - n % 8));
        }
    }
    PyBytes::new(py, &out)
}

struct Node {
    children: Option<(Box<Node>, Box<Node>)>,
}

fn make_tree(depth: u32) -> Box<Node> {
    if depth == 0 {
        Box::new(Node { children: None })
    } else {
        Box::new(Node { children: Some((make_tree(depth - 1), make_tree(depth - 1))) })
    }
}

fn check_tree(node: &Node) -> i64 {
    match &node.children {
        None => 1,
        Some((l, r)) => 1 + check_tree(l) + check_tree(r),
    }
}

#[pyfunction]
fn binary_trees(n: u32) -> String {
    let min_depth = 4;
    let max_depth = (min_depth + 2).max(n);
    let mut out = String::new();
    let stretch = max_depth + 1;
    out += &format!("stretch tree of depth {}\t check: {}\n", stretch, check_tree(&make_tree(stretch)));
    let long_lived = make_tree(max_depth);
    let mut depth = min_depth;
    while depth <= max_depth {
        let iterations: i64 = 1 << (max_depth - depth + min_depth);
        let mut check = 0;
        for _ in 0..iterations {
            check += check_tree(&make_tree(depth));
        }
        out += &format!("{}\t trees of depth {}\t check: {}\n", iterations, depth, check);
        depth += 2;
    }
    out += &format!("long lived tree of depth {}\t check: {}\n", max_depth, check_tree(&long_lived));
    out
}

/// The pipeline's canonical summary of the event log in `data` (the bytes object, borrowed).
#[pyfunction]
fn pipeline(data: &[u8]) -> PyResult<String> {
    event_pipeline::run(data).map_err(pyo3::exceptions::PyValueError::new_err)
}

#[pymodule]
fn ladder_pyo3(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(nbody, m)?)?;
    m.add_function(wrap_pyfunction!(spectral_norm, m)?)?;
    m.add_function(wrap_pyfunction!(fannkuch_redux, m)?)?;
    m.add_function(wrap_pyfunction!(mandelbrot, m)?)?;
    m.add_function(wrap_pyfunction!(binary_trees, m)?)?;
    m.add_function(wrap_pyfunction!(pipeline, m)?)?;
    Ok(())
}
