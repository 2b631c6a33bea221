/**
 * TUN offloads: the packet transformations behind {@code IFF_VNET_HDR} + {@code TUNSETOFFLOAD}, pure and
 * allocation-free, called by the pipeline.
 *
 * <ol>
 *   <li>TX (TUN reader): a read may be a 64 KB TSO/USO super-packet or a packet with a partial checksum;
 *       {@link io.jwg.wg.offload.GsoSplitter} turns it into MTU-sized, fully checksummed IP packets written
 *       straight into the slots that will be encrypted in place.</li>
 *   <li>RX (TUN writer): before decrypted packets are written to the TUN,
 *       {@link io.jwg.wg.offload.GroCoalescer} merges consecutive TCP (and UDP) segments of a flow into
 *       super-packets with a {@code virtio_net_hdr}, and prefixes every other packet with an all-zero one.</li>
 * </ol>
 *
 * {@link io.jwg.wg.offload.VirtioNetHeader} and {@link io.jwg.wg.offload.InetHeaders} describe the wire
 * formats; {@link io.jwg.wg.offload.Checksum} is RFC 1071/1624; {@link io.jwg.wg.offload.OffloadResult} names
 * the splitter's negative result codes.
 */
package io.jwg.wg.offload;
