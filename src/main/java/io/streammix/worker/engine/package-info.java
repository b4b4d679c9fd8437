/**
 * The mixer of one task. {@link io.streammix.worker.engine.MixEngine} owns its lifecycle and {@code apply}: it validates
 * a submission, confines its files ({@link io.streammix.worker.engine.FileAccess}), builds the next plan and swaps it in,
 * reconciles the inputs and outputs that changed, and closes everything. The parts live in sub-packages, in the order
 * media flows through them:
 * <ul>
 *   <li>{@code source}: what a URL is and how FFmpeg opens it;</li>
 *   <li>{@code input}: pulling one input (demux, decode, timestamps onto the mix timeline, scale into the rect,
 *   resample to 48 kHz) and the set of running inputs;</li>
 *   <li>{@code scene}: what is drawn where ({@code MixPlan}, {@code InputLayout}) and still images;</li>
 *   <li>{@code mix}: the output clock, the compositor and audio mixer it runs per tick, and the hand-off buffers between
 *   input threads and the clock ({@code InputSlot}, {@code AudioRing});</li>
 *   <li>{@code output} and {@code output.sink}: encoding once per output, and the muxers and destinations it writes to;</li>
 *   <li>{@code sei}: what the video outputs carry as SEI; {@code bypass}: relaying one input without decoding;</li>
 *   <li>{@code update}: what a new spec means for the running outputs; {@code status}: states, counters, figures;</li>
 *   <li>{@code retry}: the one reconnect schedule of inputs, outputs and bypass.</li>
 * </ul>
 *
 * <p>Not here: FFmpeg calls ({@code worker.media}), serving published streams ({@code worker.playback}), finished
 * recording files and uploads ({@code worker.recording}), HTTP ({@code worker.control}), what operator and worker share
 * ({@code worker.contract}). URLs may hold keys: log a {@code safeName} only. AVFrames are native memory: whoever takes
 * one frees it.
 *
 * <p>Threads: {@code apply} and {@code close} run on a {@code control-api} thread under the engine's lock; {@code
 * report()} and {@code figures()} are read from the control and metrics HTTP threads without it. The threads of the
 * parts are named in their packages.
 */
package io.streammix.worker.engine;
