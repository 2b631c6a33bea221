/**
 * io_uring driven from Java through {@code syscall(2)}: generated UAPI bindings ({@code io_uring_h},
 * {@code io_uring_sqe}, {@code io_uring_cqe}, {@code io_uring_params}, ...) and the hand-written ring:
 * {@link io.jwg.bindings.uring.Ring} (setup, mmap, enter, register, close),
 * {@link io.jwg.bindings.uring.SubmissionQueue} and {@link io.jwg.bindings.uring.CompletionQueue} (the memory
 * ordering edges: release store of the SQ tail, acquire loads of the SQ head and CQ tail, release store of the CQ
 * head after reading), {@link io.jwg.bindings.uring.BufRing} (provided buffers),
 * {@link io.jwg.bindings.uring.UserData} (user_data packing) and {@link io.jwg.bindings.uring.Uring}
 * (availability, probed once). liburing is not used: Debian 12's liburing2 2.3 does not export the
 * {@code io_uring_prep_*} / {@code io_uring_cq_advance} static inlines, so they are mimicked here.
 */
package io.jwg.bindings.uring;
