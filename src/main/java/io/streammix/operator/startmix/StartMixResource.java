package io.streammix.operator.startmix;

import io.smallrye.common.annotation.Blocking;
import io.streammix.startmix.StartMixApi;
import io.streammix.startmix.StartMixResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.function.Function;

/**
 * {@code POST /cgi/start-mix} and {@code POST /cgi/stop-mix} on the operator's main HTTP port (health and metrics are
 * on the management port). The body is read as it comes, whatever its Content-Type: the vendor's curl and Java samples
 * send JSON as application/x-www-form-urlencoded. See {@link StartMixApi} for what a request does.
 */
@Path("/cgi")
public class StartMixResource {
    private final StartMixService service;

    public StartMixResource(StartMixService service) {
        this.service = service;
    }

    @POST
    @Path("start-mix")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public RestResponse<StartMixResponse> start(@RestQuery("access_token") String accessToken,
                                                @RestHeader("Authorization") String authorization, byte[] body) {
        return serve(api -> api.start(accessToken, authorization, body));
    }

    @POST
    @Path("stop-mix")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public RestResponse<StartMixResponse> stop(@RestQuery("access_token") String accessToken,
                                               @RestHeader("Authorization") String authorization, byte[] body) {
        return serve(api -> api.stop(accessToken, authorization, body));
    }

    private RestResponse<StartMixResponse> serve(Function<StartMixApi, StartMixApi.Reply> call) {
        if (!service.enabled()) {
            return RestResponse.status(RestResponse.Status.NOT_FOUND,
                    StartMixResponse.error(StartMixApi.FAILED, "the start-mix API is not enabled on this operator (mixtask.start-mix.enabled)"));
        }
        StartMixApi.Reply reply = call.apply(service.api());
        return RestResponse.status(RestResponse.Status.fromStatusCode(reply.status()), reply.body());
    }
}
