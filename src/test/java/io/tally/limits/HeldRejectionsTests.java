package io.tally.limits;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 429 is held back for the rejection delay, but never more of them at once than allowed: past
 * that, and with no delay, they are answered at once.
 */
class HeldRejectionsTests {

	@Test
	void holdsAnAnswerForTheDelayWithoutHoldingTheThread() throws Exception {
		HeldRejections held = new HeldRejections(limits(Duration.ofMillis(200), 10));
		CountDownLatch written = new CountDownLatch(1);
		MockHttpServletRequest request = asyncRequest();
		long started = System.nanoTime();

		held.answer(request, written::countDown);

		assertThat(written.getCount()).as("not written on the request's thread").isEqualTo(1);
		assertThat(request.isAsyncStarted()).isTrue();
		assertThat(written.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
		held.destroy();
	}

	@Test
	void answersAtOnceWhenTheMostAllowedAreAlreadyHeld() throws Exception {
		HeldRejections held = new HeldRejections(limits(Duration.ofSeconds(30), 1));
		held.answer(asyncRequest(), () -> {
		});
		CountDownLatch written = new CountDownLatch(1);
		MockHttpServletRequest second = asyncRequest();

		held.answer(second, written::countDown);

		assertThat(written.getCount()).isZero();
		assertThat(second.isAsyncStarted()).isFalse();
		held.destroy();
	}

	@Test
	void answersAtOnceWithoutADelay() throws Exception {
		HeldRejections held = new HeldRejections(limits(Duration.ZERO, 10));
		CountDownLatch written = new CountDownLatch(1);

		held.answer(asyncRequest(), written::countDown);

		assertThat(written.getCount()).isZero();
		held.destroy();
	}

	private static MockHttpServletRequest asyncRequest() {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/graphql");
		request.setAsyncSupported(true);
		return request;
	}

	private static LimitsProperties limits(Duration delay, int maxHeld) {
		return new LimitsProperties(50, 100, 4, Duration.ofMillis(250), List.of(), delay, maxHeld);
	}

}
