/* pyapi.h: the one place that says which Python C API goarray uses. Every C
 * file of the extension, and every Go file's cgo preamble (through shim.h),
 * includes it first, so no Python header is ever read without the limited
 * API: the extension is abi3, built once for CPython 3.11 and later.
 *
 * Python.h comes from the include path the build gives (setup.py passes the
 * running interpreter's include directory in CGO_CFLAGS). Without one, as
 * under a plain `go vet ./...` or `go build ./bindings`, a system
 * installation of the headers (python3-dev) is used: under the limited API
 * the headers of any CPython from 3.11 on declare the same functions. */
#ifndef GOARRAY_PYAPI_H
#define GOARRAY_PYAPI_H

#define Py_LIMITED_API 0x030B0000
#define PY_SSIZE_T_CLEAN

#if defined(__has_include)
#if __has_include(<Python.h>)
#include <Python.h>
#include <structmember.h>
#elif __has_include(<python3.11/Python.h>)
#include <python3.11/Python.h>
#include <python3.11/structmember.h>
#elif __has_include(<python3.12/Python.h>)
#include <python3.12/Python.h>
#include <python3.12/structmember.h>
#elif __has_include(<python3.13/Python.h>)
#include <python3.13/Python.h>
#include <python3.13/structmember.h>
#elif __has_include(<python3.14/Python.h>)
#include <python3.14/Python.h>
#include <python3.14/structmember.h>
#else
#error "Python.h not found: install the CPython headers (python3-dev) or set CGO_CFLAGS=-I<the output of: python3 -c \"import sysconfig; print(sysconfig.get_paths()['include'])\">"
#endif
#else
#include <Python.h>
#include <structmember.h>
#endif
/* structmember.h: PyMemberDef's T_PYSSIZET and READONLY, which Python.h
 * itself declares only from 3.12 on. */

#endif
