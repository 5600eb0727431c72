package io.tally.graphql;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The filters act on the request's own dispatch only, as {@code OncePerRequestFilter} did by default. */
class PipelineFilterTests {

	private final List<String> acted = new ArrayList<>();

	private final PipelineFilter filter = new PipelineFilter() {

		@Override
		protected boolean shouldNotFilter(HttpServletRequest request) {
			return "/elsewhere".equals(request.getRequestURI());
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws IOException, ServletException {
			PipelineFilterTests.this.acted.add(request.getDispatcherType().name());
			chain.doFilter(request, response);
		}

	};

	@Test
	void actsOnTheRequestDispatch() throws Exception {
		MockFilterChain chain = send(DispatcherType.REQUEST, "/graphql");
		assertThat(this.acted).containsExactly("REQUEST");
		assertThat(chain.getRequest()).isNotNull();
	}

	@Test
	void letsAsynchronousErrorAndInnerDispatchesPass() throws Exception {
		for (DispatcherType type : List.of(DispatcherType.ASYNC, DispatcherType.ERROR, DispatcherType.FORWARD,
				DispatcherType.INCLUDE)) {
			MockFilterChain chain = send(type, "/graphql");
			assertThat(chain.getRequest()).as(type.name()).isNotNull();
		}
		assertThat(this.acted).isEmpty();
	}

	@Test
	void letsARequestItDoesNotConcernPass() throws Exception {
		MockFilterChain chain = send(DispatcherType.REQUEST, "/elsewhere");
		assertThat(this.acted).isEmpty();
		assertThat(chain.getRequest()).isNotNull();
	}

	private MockFilterChain send(DispatcherType type, String uri) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", uri);
		request.setDispatcherType(type);
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, new MockHttpServletResponse(), chain);
		return chain;
	}

}
