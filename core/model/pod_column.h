// A growable array of trivially copyable values on malloc/realloc.
//
// The event columns hold 16 bytes per event; for 100 M events that is
// 1.6 GB.  std::vector grows and shrinks by allocating anew and copying
// (every page touched twice, the old and the new block alive at once);
// glibc's realloc moves a large block by remapping its pages (mremap), so
// growing and shrinking cost neither a copy nor the peak of two blocks.
#pragma once

#include "core/model/prefault.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sys/mman.h>
#include <type_traits>

namespace irqlens {

template <typename T> class PodColumn {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    PodColumn() = default;
    ~PodColumn() { std::free(data_); }
    PodColumn(const PodColumn& other) { append(other.data_, other.size_); }
    PodColumn& operator=(const PodColumn& other) {
        if (this != &other) {
            size_ = 0;
            append(other.data_, other.size_);
        }
        return *this;
    }
    PodColumn(PodColumn&& other) noexcept
        : data_(other.data_), size_(other.size_), capacity_(other.capacity_) {
        other.data_ = nullptr;
        other.size_ = other.capacity_ = 0;
    }
    PodColumn& operator=(PodColumn&& other) noexcept {
        std::swap(data_, other.data_);
        std::swap(size_, other.size_);
        std::swap(capacity_, other.capacity_);
        return *this;
    }

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::size_t capacity() const { return capacity_; }
    const T& operator[](std::size_t i) const { return data_[i]; }
    T& operator[](std::size_t i) { return data_[i]; }
    const T& back() const { return data_[size_ - 1]; }
    const T* begin() const { return data_; }
    const T* end() const { return data_ + size_; }

    void push_back(const T& value) {
        if (size_ == capacity_) {
            reallocate(capacity_ < 16 ? 16 : capacity_ * 2);
        }
        data_[size_++] = value;
    }
    void append(const T* values, std::size_t count) {
        if (count == 0) {
            return;
        }
        if (size_ + count > capacity_) {
            reallocate(size_ + count > capacity_ * 2 ? size_ + count : capacity_ * 2);
        }
        std::memcpy(static_cast<void*>(data_ + size_), values, count * sizeof(T));
        size_ += count;
    }
    void reserve(std::size_t count) {
        if (count > capacity_) {
            reallocate(count);
        }
    }
    void clear() { size_ = 0; }
    // Lists the room the next appends will write (prefault.h).
    void prefault(PrefaultList& out, double fraction) const {
        prefaultRange(out, data_, size_ * sizeof(T), capacity_ * sizeof(T), fraction);
    }
    void shrink_to_fit() {
        if (size_ < capacity_) {
            reallocate(size_);
        }
    }

private:
    void reallocate(std::size_t count) {
        if (count == 0) {
            std::free(data_);
            data_ = nullptr;
            capacity_ = 0;
            return;
        }
        if (count > static_cast<std::size_t>(-1) / sizeof(T)) {
            throw std::bad_alloc();
        }
        void* grown = std::realloc(static_cast<void*>(data_), count * sizeof(T));
        if (!grown) {
            throw std::bad_alloc();
        }
        data_ = static_cast<T*>(grown);
        capacity_ = count;
        adviseHugePages();
    }

    // Large columns are filled once, front to back: with transparent huge
    // pages the kernel maps them 2 MB at a time instead of faulting in every
    // 4 kB page (the faults were a quarter of a load's time).  The advice
    // covers every page of the block: a block glibc maps on its own (its
    // header in the first page) is then one mapping still.  Advice on only
    // the 2 MB-aligned middle split it in two or three, and realloc's mremap
    // of a split mapping fails (EFAULT), so every doubling became a copy
    // (2.2 s on the GUI thread for a live store's columns at 32 M events per
    // CPU; strace shows mremap failing, then mmap + copy + munmap).
    void adviseHugePages() const {
        constexpr std::size_t kHuge = std::size_t(2) << 20;
        constexpr std::uintptr_t kPage = 4096;
        const std::size_t bytes = capacity_ * sizeof(T);
        if (bytes < kHuge) {
            return;
        }
        auto* const first = reinterpret_cast<char*>(data_);
        const std::size_t into = reinterpret_cast<std::uintptr_t>(first) % kPage;
        ::madvise(first - into, (into + bytes + kPage - 1) / kPage * kPage, MADV_HUGEPAGE);
    }

    T* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

} // namespace irqlens
