/* ladder_capi: a hand-written CPython C-API extension over ladder's C kernels (src/kernels).
 *
 * One function per problem, each taking N and returning the canonical output (str, or bytes for
 * mandelbrot's PBM). The kernel runs with the GIL released, single-threaded; the output is
 * formatted by the kernels' own _format functions into a memory stream, so the text is the C
 * rung's byte for byte. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
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

/* N as a C int (PyLong_AsInt is public only from Python 3.13). */
static int as_int(PyObject *arg, int *out)
{
    long v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v < 0 || v > 0x7fffffffL) {
        PyErr_SetString(PyExc_ValueError, "N out of range");
        return -1;
    }
    *out = (int)v;
    return 0;
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

static PyObject *py_nbody(PyObject *self, PyObject *arg)
{
    (void)self;
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    kern_nbody_result r;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = kern_nbody(n, &r);
    Py_END_ALLOW_THREADS
    if (rc < 0)
        return kernel_error(rc);
    memout m;
    if (memout_open(&m))
        return NULL;
    return memout_finish(&m, kern_nbody_format(&r, m.f), 0);
}

static PyObject *py_spectral_norm(PyObject *self, PyObject *arg)
{
    (void)self;
    int n;
    if (as_int(arg, &n))
        return NULL;
    double norm;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = kern_spectral_norm(n, 1, &norm);
    Py_END_ALLOW_THREADS
    if (rc < 0)
        return kernel_error(rc);
    memout m;
    if (memout_open(&m))
        return NULL;
    return memout_finish(&m, kern_spectral_norm_format(norm, m.f), 0);
}

static PyObject *py_fannkuch(PyObject *self, PyObject *arg)
{
    (void)self;
    int n;
    if (as_int(arg, &n))
        return NULL;
    kern_fannkuch_result r;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = kern_fannkuch(n, 1, &r);
    Py_END_ALLOW_THREADS
    if (rc < 0)
        return kernel_error(rc);
    memout m;
    if (memout_open(&m))
        return NULL;
    return memout_finish(&m, kern_fannkuch_format(&r, m.f), 0);
}

static PyObject *py_mandelbrot(PyObject *self, PyObject *arg)
{
    (void)self;
    int n;
    if (as_int(arg, &n))
        return NULL;
    if (n < 1)
        return kernel_error(-EINVAL);
    uint8_t *bits = malloc(kern_mandelbrot_size(n));
    if (!bits)
        return PyErr_NoMemory();
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = kern_mandelbrot(n, 1, bits);
    Py_END_ALLOW_THREADS
    if (rc < 0) {
        free(bits);
        return kernel_error(rc);
    }
    memout m;
    if (memout_open(&m)) {
        free(bits);
        return NULL;
    }
    PyObject *res = memout_finish(&m, kern_mandelbrot_format(n, bits, m.f), 1);
    free(bits);
    return res;
}

static PyObject *py_binary_trees(PyObject *self, PyObject *arg)
{
    (void)self;
    int n;
    if (as_int(arg, &n))
        return NULL;
    kern_bt_result *r = malloc(sizeof *r);
    if (!r)
        return PyErr_NoMemory();
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = kern_binary_trees(n, 1, r);
    Py_END_ALLOW_THREADS
    if (rc < 0) {
        free(r);
        return kernel_error(rc);
    }
    memout m;
    if (memout_open(&m)) {
        free(r);
        return NULL;
    }
    PyObject *res = memout_finish(&m, kern_binary_trees_format(r, m.f), 0);
    free(r);
    return res;
}

static PyMethodDef methods[] = {
    {"nbody", py_nbody, METH_O, "nbody(n) -> str: energy before and after n steps"},
    {"spectral_norm", py_spectral_norm, METH_O, "spectral_norm(n) -> str"},
    {"fannkuch", py_fannkuch, METH_O, "fannkuch(n) -> str: checksum and max flips"},
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
