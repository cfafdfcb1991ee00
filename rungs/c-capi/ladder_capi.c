/* ladder_capi: a hand-written CPython C-API extension over ladder's C kernels (src/kernels).
 *
 * One function per problem, each taking N and returning the canonical output (str, or bytes for
 * mandelbrot's PBM). The kernel runs with the GIL released, single-threaded; the output is
 * formatted by the kernels' own _format functions into a memory stream, so the text is the C
 * rung's byte for byte. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"

/* A FILE* over a growing buffer, for the _format functions. */
typedef struct {
    FILE *f;
    char *buf;
    size_t len;
} memout;

static int memout_open(memout *m)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    if (!m->f) {
        PyErr_SetFromErrno(PyExc_OSError);
        return -1;
    }
    return 0;
}

/* Closes the stream and returns its content as str (binary = 0) or bytes (binary = 1). */
static PyObject *memout_finish(memout *m, int format_rc, int binary)
{
    int close_rc = fclose(m->f);
    PyObject *res = NULL;
    if (format_rc < 0 || close_rc != 0) {
        errno = format_rc < 0 ? -format_rc : errno;
        PyErr_SetFromErrno(PyExc_OSError);
    } else if (binary) {
        res = PyBytes_FromStringAndSize(m->buf, (Py_ssize_t)m->len);
    } else {
        res = PyUnicode_DecodeASCII(m->buf, (Py_ssize_t)m->len, "strict");
    }
    free(m->buf);
    return res;
}

static PyObject *kernel_error(int rc)
{
    if (rc == -ENOMEM)
        return PyErr_NoMemory();
    if (rc == -EINVAL)
        return PyErr_Format(PyExc_ValueError, "N out of range for this kernel");
    errno = -rc;
    return PyErr_SetFromErrno(PyExc_OSError);
}

/* What a kernel leaves for its _format function. */
typedef union {
    kern_nbody_result nbody;
    double norm;
    kern_fannkuch_result fannkuch;
    uint8_t *bits; /* mandelbrot's, allocated by its run */
    kern_bt_result trees;
} result;

/* One problem: its kernel (run with the GIL released, single-threaded) and its formatting. */
typedef struct {
    int (*run)(long n, result *r);
    int (*format)(long n, const result *r, FILE *f);
    void (*release)(result *r); /* NULL when the result holds no memory */
    int int_n;                  /* N must fit a C int (every kernel but n-body's takes an int) */
    int binary;                 /* bytes, not str */
} problem;

static PyObject *solve(PyObject *arg, const problem *p)
{
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    /* PyLong_AsInt is public only from Python 3.13 */
    if (p->int_n && (n < 0 || n > INT_MAX)) {
        PyErr_SetString(PyExc_ValueError, "N out of range");
        return NULL;
    }
    result r;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = p->run(n, &r);
    Py_END_ALLOW_THREADS
    if (rc < 0)
        return kernel_error(rc);
    memout m;
    PyObject *res = NULL;
    if (!memout_open(&m))
        res = memout_finish(&m, p->format(n, &r, m.f), p->binary);
    if (p->release)
        p->release(&r);
    return res;
}

static int run_nbody(long n, result *r) { return kern_nbody(n, &r->nbody); }
static int format_nbody(long n, const result *r, FILE *f) { (void)n; return kern_nbody_format(&r->nbody, f); }

static int run_spectral(long n, result *r) { return kern_spectral_norm((int)n, 1, &r->norm); }
static int format_spectral(long n, const result *r, FILE *f) { (void)n; return kern_spectral_norm_format(r->norm, f); }

static int run_fannkuch(long n, result *r) { return kern_fannkuch((int)n, 1, &r->fannkuch); }
static int format_fannkuch(long n, const result *r, FILE *f) { (void)n; return kern_fannkuch_format(&r->fannkuch, f); }

static int run_mandelbrot(long n, result *r)
{
    if (n < 1)
        return -EINVAL;
    r->bits = malloc(kern_mandelbrot_size((int)n));
    if (!r->bits)
        return -ENOMEM;
    int rc = kern_mandelbrot((int)n, 1, r->bits);
    if (rc < 0)
        free(r->bits);
    return rc;
}
static int format_mandelbrot(long n, const result *r, FILE *f) { return kern_mandelbrot_format((int)n, r->bits, f); }
static void release_mandelbrot(result *r) { free(r->bits); }

static int run_trees(long n, result *r) { return kern_binary_trees((int)n, 1, &r->trees); }
static int format_trees(long n, const result *r, FILE *f) { (void)n; return kern_binary_trees_format(&r->trees, f); }

static const problem nbody = {run_nbody, format_nbody, NULL, 0, 0};
static const problem spectral = {run_spectral, format_spectral, NULL, 1, 0};
static const problem fannkuch = {run_fannkuch, format_fannkuch, NULL, 1, 0};
static const problem mandelbrot = {run_mandelbrot, format_mandelbrot, release_mandelbrot, 1, 1};
static const problem trees = {run_trees, format_trees, NULL, 1, 0};

static PyObject *py_nbody(PyObject *self, PyObject *arg) { (void)self; return solve(arg, &nbody); }
static PyObject *py_spectral_norm(PyObject *self, PyObject *arg) { (void)self; return solve(arg, &spectral); }
static PyObject *py_fannkuch(PyObject *self, PyObject *arg) { (void)self; return solve(arg, &fannkuch); }
static PyObject *py_mandelbrot(PyObject *self, PyObject *arg) { (void)self; return solve(arg, &mandelbrot); }
static PyObject *py_binary_trees(PyObject *self, PyObject *arg) { (void)self; return solve(arg, &trees); }

static PyMethodDef methods[] = {
    {"nbody", py_nbody, METH_O, "nbody(n) -> str: energy before and after n steps"},
    {"spectral_norm", py_spectral_norm, METH_O, "spectral_norm(n) -> str"},
    {"fannkuch_redux", py_fannkuch, METH_O, "fannkuch_redux(n) -> str: checksum and max flips"},
    {"mandelbrot", py_mandelbrot, METH_O, "mandelbrot(n) -> bytes: the P4 PBM image"},
    {"binary_trees", py_binary_trees, METH_O, "binary_trees(n) -> str"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "ladder_capi", "ladder's C kernels through the CPython C API", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_ladder_capi(void)
{
    return PyModule_Create(&module);
}
