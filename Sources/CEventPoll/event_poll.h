// Linux's epoll and eventfd, which Swift's Glibc module does not include. Only Linux builds import
// this module (see Package.swift); elsewhere idle connections keep their threads.
#include <sys/epoll.h>
#include <sys/eventfd.h>
