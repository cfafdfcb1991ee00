/* Small file helpers: whole-file reads, atomic writes, mkdir -p and a content hash of a tree. */
#ifndef LADDER_FSUTIL_H
#define LADDER_FSUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Reads a whole file into a NUL-terminated malloc'd buffer (caller frees); NULL + err on failure. */
char *fs_read_all(const char *path, size_t *len, char *err, size_t cap);
/* Writes to PATH.tmp.PID, fsyncs and renames over path: readers never see half a file. */
int fs_write_atomic(const char *path, const void *data, size_t len, char *err, size_t cap);
int fs_mkdirs(const char *path, char *err, size_t cap);

/* FNV-1a 64; fs_hash_tree folds into *h the names and contents of every regular file under path
 * (or the file itself), in sorted order, skipping names starting with '.' or "__pycache__". It
 * returns -1 when something could not be read (or memory ran out): the hash is then not a
 * trustworthy key and a caller should not reuse a cached build on it. */
uint64_t fs_hash_init(void);
uint64_t fs_hash_bytes(uint64_t h, const void *data, size_t len);
int fs_hash_tree(uint64_t *h, const char *path);

/* Bytes of the regular file at path, or of every regular file under the folder (symbolic links
 * not followed nor counted); -1 when path is missing or something under it cannot be read. */
long long fs_tree_bytes(const char *path);

/* Removes everything inside the folder path (not following links), except a top-level entry
 * named keep (may be NULL); the folder itself stays. 0, or -1 when something could not go. */
int fs_clear_dir(const char *path, const char *keep);

#endif
