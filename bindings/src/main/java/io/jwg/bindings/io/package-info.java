/**
 * Batched packet I/O for the dataplane, on top of the generated FFM bindings. Hand-written.
 *
 * <p>Memory: a {@link io.jwg.bindings.io.PacketPool} is one native slab of fixed slots; batches
 * ({@link io.jwg.bindings.io.DatagramBatch} for UDP, {@link io.jwg.bindings.io.PacketBatch} for TUN) hold
 * slot indices plus per-entry offset/length/flags/addresses in preallocated arrays. Nothing allocates per
 * packet; a slot index is what changes owner (pool, kernel, batch, caller).
 *
 * <p>Flow, receive side: 1. the I/O object posts free slots to the kernel (recvmmsg iovecs, an io_uring
 * provided-buffer ring, or io_uring reads in flight); 2. completed slots move into the caller's batch;
 * 3. the caller consumes them and gives them back with {@code clear()} or keeps them with {@code detach(i)}.
 * Send side: the caller fills a batch, {@code send}/{@code write} hands every entry to the kernel in one
 * system call (sendmmsg) or one {@code io_uring_enter}, and records a per-entry result; the batch keeps its
 * slots.
 *
 * <p>Threads: every I/O object has one receiving (reading) thread and one sending (writing) thread, which may be
 * the same; pools and batches belong to one thread at a time. Results are counts or {@code -errno}
 * ({@link io.jwg.bindings.libc.Errno}); exceptions only for setup failures
 * ({@link io.jwg.bindings.libc.NativeIoException}) and programmer errors.
 *
 * <p>Choosing an implementation: {@link io.jwg.bindings.io.UringUdpIo} / {@link io.jwg.bindings.io.UringTunIo}
 * when {@link io.jwg.bindings.uring.Uring#isAvailable()}, else {@link io.jwg.bindings.io.MmsgUdpIo} /
 * {@link io.jwg.bindings.io.SyscallTunIo}. On loopback the kernel's per-datagram network stack work dominates,
 * so the large win is UDP GSO/GRO ({@link io.jwg.bindings.io.DatagramBatch#setSegmentSize}, {@code gro(true)}),
 * see {@code UdpIoBench}.
 */
package io.jwg.bindings.io;
