package queue

import "sync"

// Pool runs submitted jobs on a fixed number of goroutines and waits for
// them all on Close.
type Pool struct {
	jobs chan func()
	wg   sync.WaitGroup
}

func NewPool(workers int) *Pool {
	p := &Pool{jobs: make(chan func())}
	for i := 0; i < workers; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for job := range p.jobs {
				job()
			}
		}()
	}
	return p
}

func (p *Pool) Submit(job func()) { p.jobs <- job }

func (p *Pool) Close() {
	close(p.jobs)
	p.wg.Wait()
}
