package dev.tevent4j.epoll;

import dev.tevent4j.linux.CHeaderProbe;
import org.junit.jupiter.api.Test;

import static dev.tevent4j.epoll.Epoll.*;

/** {@link Epoll}'s constants and {@code struct epoll_event} layout against {@code <sys/epoll.h>}. */
class EpollHeaderTest {
    @Test
    void epollConstantsAndLayoutMatchTheHeader() throws Exception {
        new CHeaderProbe().include("sys/epoll.h")
                .expect("EPOLLIN", EPOLLIN).expect("EPOLLPRI", EPOLLPRI).expect("EPOLLOUT", EPOLLOUT)
                .expect("EPOLLERR", EPOLLERR).expect("EPOLLHUP", EPOLLHUP).expect("EPOLLRDHUP", EPOLLRDHUP)
                .expect("EPOLL_CTL_ADD", EPOLL_CTL_ADD).expect("EPOLL_CTL_DEL", EPOLL_CTL_DEL)
                .expect("EPOLL_CTL_MOD", EPOLL_CTL_MOD).expect("EPOLL_CLOEXEC", EPOLL_CLOEXEC)
                .expect("sizeof(struct epoll_event)", EVENT_SIZE)
                .expect("offsetof(struct epoll_event, events)", EVENTS_OFFSET)
                .expect("offsetof(struct epoll_event, data)", DATA_OFFSET)
                .verify();
    }
}
