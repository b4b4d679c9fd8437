/**
 * SEI in the video outputs (docs/sei.md): {@link io.streammix.worker.engine.sei.SeiFeed} (userData and sound levels as
 * the applied spec and the inputs say now), {@link io.streammix.worker.engine.sei.SeiStamper} (which frames are
 * keyframes and which SEI each carries), {@link io.streammix.worker.engine.sei.SeiMessages} (our two
 * user_data_unregistered messages) and {@link io.streammix.worker.engine.sei.HevcSeiNal} (H.265 SEI NAL units we write
 * ourselves, since x265 prefixes its own UUID).
 *
 * <p>Threads: the feed is updated by the engine on apply and read by every output thread per frame (volatile, no lock);
 * a stamper belongs to one output thread.
 */
package io.streammix.worker.engine.sei;
