package wfm

import "math"

// erlangA fills the Erlang A figures (M/M/N+M, Palm's model): calls
// arrive at rate λ, are handled at rate μ = 1/AHT by N agents, and a
// waiting caller gives up at rate θ = 1/patience. The number in the
// system is a birth–death chain (births λ; deaths min(k, N)·μ +
// max(k − N, 0)·θ) whose stationary distribution a caller sees on
// arrival (Poisson arrivals see time averages). A caller who finds
// m ≥ 0 waiting ahead leaves position m at rate Nμ + (m+1)θ whatever
// happens next, is still there to be answered with probability
// Nμ ÷ (Nμ + (m+1)θ) (the product telescopes), and is answered within
// the target if it is and the sum of those exponential stays is within
// it (its distribution computed on a grid, exact for a piecewise-linear
// integrand). Service level = P(answered within the target) of all
// offered calls; ASA is of the answered ones.
func erlangA(s *Staffing, n Need, agents int) {
	lambda, mu, theta := n.Calls/n.IntervalSeconds, 1/n.AHTSeconds, 1/n.PatienceSeconds
	N := float64(agents)
	// p_k ∝ P(k in the system), k = 0 …, until the tail beyond N is
	// negligible; rescaled as it grows so that a large load does not
	// overflow.
	p := []float64{1}
	peak, total := 1.0, 1.0
	for k := 0; ; k++ {
		death := float64(k+1) * mu
		if k+1 > agents {
			death = N*mu + float64(k+1-agents)*theta
		}
		next := p[k] * lambda / death
		if next > 1e200 {
			for i := range p {
				p[i] *= 1e-200
			}
			next, peak, total = next*1e-200, peak*1e-200, total*1e-200
		}
		p = append(p, next)
		peak, total = math.Max(peak, next), total+next
		if k+1 > agents && next < peak*1e-13 || len(p) > agents+20000 {
			break
		}
	}
	const grid = 64
	h := n.TargetSeconds / grid
	g := make([]float64, grid+1) // P(the stays so far ≤ t_j)
	prev := make([]float64, grid+1)
	for j := range prev {
		prev[j] = 1 // no stay at all
	}
	var wait, served, withinT, waitServed, meanStay, seen float64
	late := h == 0
	for k := range p {
		pk := p[k] / total
		if seen += pk; 1-seen < 1e-12 && k >= agents {
			break // what is left cannot move the figures
		}
		if k < agents {
			served += pk
			withinT += pk
			continue
		}
		m := k - agents
		rho := N*mu + float64(m+1)*theta
		stay := N * mu / rho // still there when a place comes free
		// g = prev convolved with Exp(rho): the grid recursion — until
		// the chance of being answered in time is nil (it only falls
		// with more ahead).
		g[0] = 0
		if late {
			g[grid] = 0
		} else if h > 0 {
			e := math.Exp(-rho * h)
			a, b := 1-e, (1-e*(1+rho*h))/(rho*h)
			for j := 0; j < grid; j++ {
				g[j+1] = e*g[j] + a*prev[j+1] - b*(prev[j+1]-prev[j])
			}
		}
		meanStay += 1 / rho // the expected stays until a place comes free
		wait += pk
		served += pk * stay
		withinT += pk * stay * g[grid]
		late = g[grid] < 1e-13
		waitServed += pk * stay * meanStay
		prev, g = g, prev
	}
	s.ProbabilityWait = wait
	s.ServiceLevel = withinT
	s.AbandonRate = 1 - served
	s.Occupancy = lambda * served * n.AHTSeconds / N
	if served > 0 {
		s.ASASeconds = waitServed / served
	}
}
